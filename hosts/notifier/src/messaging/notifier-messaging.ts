import type { Clock, Logger, UnitOfWork } from '@conference/kernel';
import { ServiceMessaging, handledValue, type AmqpConnection, type AsyncLocalCorrelation, type ConsumerSpec } from '@conference/adapters-rabbitmq';
import {
  AUDIT_CONSUMER,
  EMAIL_CONSUMER,
  NOTIFIER_SUBSCRIPTIONS,
  RecordAudit,
  SendNotifications,
  type Mailer,
  type NotificationScope,
} from '@conference/notifications';

export interface NotifierMessagingOptions {
  readonly connection: AmqpConnection;
  readonly uow: UnitOfWork<NotificationScope>;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Default `conference`. */
  readonly exchange?: string;
  /** Queue names; default `notifier.audit` and `notifier.email` (tests make them unique per run). */
  readonly queues?: { readonly audit?: string; readonly email?: string };
  readonly prefetch?: number;
  readonly maxAttempts?: number;
  readonly retryDelaysMs?: readonly number[];
  /** SendNotifications' claim lease (default 2 min). */
  readonly leaseMs?: number;
  readonly correlation?: AsyncLocalCorrelation;
}

/** What the notifier's consumers need. */
export interface NotifierConsumerDeps {
  readonly uow: UnitOfWork<NotificationScope>;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly queues?: { readonly audit?: string; readonly email?: string };
  readonly leaseMs?: number;
}

/** The notifier's consumers (queues, bindings, handlers), whatever carries the messages. */
export function notifierConsumers(options: NotifierConsumerDeps): ConsumerSpec[] {
  const audit = new RecordAudit(options.uow, options.clock);
  const send = new SendNotifications(options.uow, options.mailer, options.clock, options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {});
  return [
    {
      queue: options.queues?.audit ?? AUDIT_CONSUMER,
      routingKeys: NOTIFIER_SUBSCRIPTIONS[AUDIT_CONSUMER],
      handler: async (message) => {
        const { duplicate } = handledValue(await audit.execute(message));
        return { duplicate };
      },
    },
    {
      queue: options.queues?.email ?? EMAIL_CONSUMER,
      routingKeys: NOTIFIER_SUBSCRIPTIONS[EMAIL_CONSUMER],
      handler: async (message) => {
        const { sent, alreadySent } = handledValue(await send.execute(message));
        return { emailsSent: sent.length, emailsAlreadySent: alreadySent.length };
      },
    },
  ];
}

/**
 * The notifier's consumers (it publishes nothing, so no relay):
 * - `notifier.audit`, bound to `#`: every message → RecordAudit;
 * - `notifier.email`, bound to enrollment.*, event.cancelled, user.registered → SendNotifications.
 * Two queues rather than one handler doing both: a mail server that is down retries the email
 * without holding up the audit log, and a redelivered email message does not touch the audit.
 */
export function createNotifierMessaging(options: NotifierMessagingOptions): ServiceMessaging {
  return new ServiceMessaging({
    name: 'notifier',
    connection: options.connection,
    outboxPool: null,
    consumers: notifierConsumers(options),
    ...(options.exchange ? { exchange: options.exchange } : {}),
    ...(options.prefetch !== undefined ? { prefetch: options.prefetch } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    ...(options.correlation ? { correlation: options.correlation } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
