import { MicroBatcher, type Clock, type MessageEnvelope } from '@conference/kernel';
import { ServiceMessaging, handledValue, messagingSettingsOf, type AmqpConnection, type ConsumerSpec, type MessagingSettings } from '@conference/adapters-rabbitmq';
import {
  AUDIT_CONSUMER,
  EMAIL_CONSUMER,
  NOTIFIER_SUBSCRIPTIONS,
  RecordAudit,
  SendNotifications,
  type AuditLog,
  type Mailer,
  type SentEmails,
} from '@conference/notifications';

/** No `relay`: the notifier publishes nothing. */
export interface NotifierMessagingOptions extends NotifierConsumerDeps, Omit<MessagingSettings, 'relay'> {
  readonly connection: AmqpConnection;
}

/**
 * What the notifier's consumers need: the ports themselves, no unit of work. Each call is atomic
 * on its own (see AuditLog and SentEmails), so in PostgreSQL they belong on the pool.
 */
export interface NotifierConsumerDeps {
  readonly audit: AuditLog;
  readonly sentEmails: SentEmails;
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** Queue names; default `notifier.audit` and `notifier.email` (tests make them unique per run). */
  readonly queues?: { readonly audit?: string; readonly email?: string };
  /** SendNotifications' claim lease (default 2 min). */
  readonly leaseMs?: number;
  /** How long an audit entry waits for others to share its INSERT (default 0; the notifier host uses NOTIFIER_LINGER_MS). */
  readonly lingerMs?: number;
}

/**
 * How long an audit entry, an email claim or an email mark waits for others to share its
 * statement. Nobody waits on either (the enrollment's outcome is recorded elsewhere), and at a
 * steady 200 messages/s one statement per message was the notifier's main cost
 * (bench/RESULTS.md); 20 ms later is nothing for an email or an audit line.
 */
export const NOTIFIER_LINGER_MS = 20;

/** Unacknowledged audit deliveries at once: the burst one INSERT appends. */
export const AUDIT_PREFETCH = 100;

/**
 * Unacknowledged email deliveries at once: their claims, and the marks of the sends that finish
 * together, are one statement each (PostgresSentEmails). Sends beyond the mailer's own connections
 * wait in its queue, far inside the claim's lease.
 */
export const EMAIL_PREFETCH = 50;

/** The notifier's consumers (queues, bindings, handlers), whatever carries the messages. */
export function notifierConsumers(options: NotifierConsumerDeps): ConsumerSpec[] {
  const audit = new RecordAudit(options.audit, options.clock);
  // Every message of the platform comes through here: a burst of deliveries is one INSERT.
  const auditBursts = new MicroBatcher<MessageEnvelope, { duplicate: boolean }>(async (messages) =>
    (await audit.executeAll(messages)).value.map((value) => ({ ok: true, value })), { lingerMs: options.lingerMs ?? 0 });
  const send = new SendNotifications(options.sentEmails, options.mailer, options.clock, options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {});
  return [
    {
      queue: options.queues?.audit ?? AUDIT_CONSUMER,
      routingKeys: NOTIFIER_SUBSCRIPTIONS[AUDIT_CONSUMER],
      // Deliveries in hand form the burst one INSERT appends: allow a burst.
      prefetch: AUDIT_PREFETCH,
      handler: async (message) => {
        const { duplicate } = await auditBursts.submit(message);
        return { duplicate };
      },
    },
    {
      queue: options.queues?.email ?? EMAIL_CONSUMER,
      routingKeys: NOTIFIER_SUBSCRIPTIONS[EMAIL_CONSUMER],
      prefetch: EMAIL_PREFETCH,
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
    ...messagingSettingsOf(options),
    name: 'notifier',
    connection: options.connection,
    outboxPool: null,
    consumers: notifierConsumers(options),
  });
}
