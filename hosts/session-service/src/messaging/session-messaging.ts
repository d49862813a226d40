import type { DatabasePool } from 'slonik';
import { MessageFactory, type Clock, type IdGenerator, type Logger, type UnitOfWork } from '@conference/kernel';
import {
  ServiceMessaging,
  UnprocessableMessageError,
  handledValue,
  messageCorrelation,
  type AmqpConnection,
  type AsyncLocalCorrelation,
  type OutboxRelayOptions,
} from '@conference/adapters-rabbitmq';
import { DetachSpeaker, SPEAKER_DELETED_CONSUMER, type SessionScope } from '@conference/session';

export interface SessionMessagingOptions {
  readonly connection: AmqpConnection;
  /** The session database: its outbox is what the relay publishes. */
  readonly pool: DatabasePool;
  readonly uow: UnitOfWork<SessionScope>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger?: Logger;
  /** The envelope's `source` of what the handler publishes (default `session-service`). */
  readonly source?: string;
  readonly exchange?: string;
  /** Default SPEAKER_DELETED_CONSUMER (`session.speaker-deleted`, the inbox name the use case records under). */
  readonly queue?: string;
  readonly prefetch?: number;
  readonly maxAttempts?: number;
  readonly retryDelaysMs?: readonly number[];
  readonly relay?: Omit<OutboxRelayOptions, 'logger' | 'name'>;
  readonly correlation?: AsyncLocalCorrelation;
}

/**
 * The session service's asynchronous side: speaker.deleted → DetachSpeaker (every session loses
 * the speaker, each with a session.updated carrying the incoming correlation), and the relay
 * publishing the session outbox (session.created/updated/deleted). DetachSpeaker throws on a
 * concurrent edit of a session (StaleVersionError): the message is retried.
 */
export function createSessionMessaging(options: SessionMessagingOptions): ServiceMessaging {
  const correlation = options.correlation ?? messageCorrelation;
  const messages = new MessageFactory(options.source ?? 'session-service', options.ids, options.clock, correlation);
  const detach = new DetachSpeaker(options.uow, options.clock, messages);
  return new ServiceMessaging({
    name: options.source ?? 'session-service',
    connection: options.connection,
    outboxPool: options.pool,
    consumers: [{
      queue: options.queue ?? SPEAKER_DELETED_CONSUMER,
      routingKeys: ['speaker.deleted'],
      handler: async (message) => {
        // A type the queue is not bound to (bound by hand): it can never be handled here.
        if (message.type !== 'speaker.deleted') throw new UnprocessableMessageError('MESSAGE.UNEXPECTED_TYPE', `no handler for ${message.type}`);
        const handled = handledValue(await detach.execute({ messageId: message.id, data: message.data }));
        return handled.duplicate ? { duplicate: true } : { speakerId: message.data.speakerId, sessionsDetached: handled.sessionIds.length };
      },
    }],
    ...(options.exchange ? { exchange: options.exchange } : {}),
    ...(options.prefetch !== undefined ? { prefetch: options.prefetch } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    ...(options.relay ? { relay: options.relay } : {}),
    correlation,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
