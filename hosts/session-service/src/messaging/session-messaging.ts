import type { DatabasePool } from 'slonik';
import { MessageFactory, type Clock, type CorrelationSource, type IdGenerator, type Logger, type UnitOfWork } from '@conference/kernel';
import {
  BroadcastSubscription,
  ServiceMessaging,
  messagingSettingsOf,
  UnprocessableMessageError,
  handledValue,
  messageCorrelation,
  type AmqpConnection,
  type ConsumerSpec,
  type MessagingSettings,
} from '@conference/adapters-rabbitmq';
import { DetachSpeaker, SPEAKER_DELETED_CONSUMER, type CachingSpeakerDirectory, type SessionScope } from '@conference/session';

export interface SessionMessagingOptions extends MessagingSettings {
  readonly connection: AmqpConnection;
  /** The session database: its outbox is what the relay publishes. */
  readonly pool: DatabasePool;
  readonly uow: UnitOfWork<SessionScope>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The envelope's `source` of what the handler publishes (default `session-service`). */
  readonly source?: string;
  /** Default SPEAKER_DELETED_CONSUMER (`session.speaker-deleted`, the inbox name the use case records under). */
  readonly queue?: string;
}

/** What the session service's consumer needs; the embedded profile passes its in-process correlation. */
export interface SessionConsumerDeps {
  readonly uow: UnitOfWork<SessionScope>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Entered around each handler; the session.updated messages it publishes are stamped from it. */
  readonly correlation: CorrelationSource;
  readonly source?: string;
  readonly queue?: string;
}

/** The session service's consumer (queue, binding, handler), whatever carries the messages. */
export function sessionConsumers(deps: SessionConsumerDeps): ConsumerSpec[] {
  const messages = new MessageFactory(deps.source ?? 'session-service', deps.ids, deps.clock, deps.correlation);
  const detach = new DetachSpeaker(deps.uow, deps.clock, messages);
  return [{
    queue: deps.queue ?? SPEAKER_DELETED_CONSUMER,
    routingKeys: ['speaker.deleted'],
    handler: async (message) => {
      // A type the queue is not bound to (bound by hand): it can never be handled here.
      if (message.type !== 'speaker.deleted') throw new UnprocessableMessageError('MESSAGE.UNEXPECTED_TYPE', `no handler for ${message.type}`);
      const handled = handledValue(await detach.execute({ messageId: message.id, data: message.data }));
      return handled.duplicate ? { duplicate: true } : { speakerId: message.data.speakerId, sessionsDetached: handled.sessionIds.length };
    },
  }];
}

/**
 * The session service's asynchronous side: speaker.deleted → DetachSpeaker (every session loses
 * the speaker, each with a session.updated carrying the incoming correlation), and the relay
 * publishing the session outbox (session.created/updated/deleted). DetachSpeaker throws on a
 * concurrent edit of a session (StaleVersionError): the message is retried.
 */
export function createSessionMessaging(options: SessionMessagingOptions): ServiceMessaging {
  const correlation = options.correlation ?? messageCorrelation;
  return new ServiceMessaging({
    ...messagingSettingsOf(options),
    name: options.source ?? 'session-service',
    connection: options.connection,
    outboxPool: options.pool,
    consumers: sessionConsumers({ ...options, correlation }),
    correlation,
  });
}

export interface SpeakerCacheInvalidationOptions {
  readonly connection: AmqpConnection;
  readonly cache: Pick<CachingSpeakerDirectory, 'forget' | 'invalidationsLive' | 'invalidationsLost'>;
  readonly exchange?: string;
  readonly logger?: Logger;
}

/**
 * Keeps this instance's speaker cache honest: every session instance hears every speaker.updated
 * and speaker.deleted (a broadcast subscription, not the shared speaker.deleted queue, which hands
 * each message to one instance) and forgets that speaker. The cache serves only while the
 * subscription is up and starts empty each time it comes back, since what was published in
 * between was missed. speaker.updated carries the new name, headline and company, but the entry is
 * dropped rather than overwritten: one refetch costs little, and no redelivery or reordering can
 * then put an older summary back.
 */
export function speakerCacheInvalidation(options: SpeakerCacheInvalidationOptions): BroadcastSubscription {
  const { cache } = options;
  return new BroadcastSubscription(options.connection, {
    name: 'speaker-cache',
    routingKeys: ['speaker.updated', 'speaker.deleted'],
    onMessage: (message) => {
      if (message.type === 'speaker.updated' || message.type === 'speaker.deleted') cache.forget([message.data.speakerId]);
    },
    onSubscribed: () => cache.invalidationsLive(),
    onLost: () => cache.invalidationsLost(),
    ...(options.exchange ? { exchange: options.exchange } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
