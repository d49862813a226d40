import type { DatabasePool } from 'slonik';
import { MessageFactory, MicroBatcher, type Clock, type CorrelationSource, type DomainError, type IdGenerator, type Result, type UnitOfWork } from '@conference/kernel';
import {
  ServiceMessaging,
  messagingSettingsOf,
  UnprocessableMessageError,
  handledValue,
  messageCorrelation,
  type AmqpConnection,
  type ConsumerSpec,
  type MessagingSettings,
} from '@conference/adapters-rabbitmq';
import {
  ENROLLMENT_CONSUMER,
  EVENT_SERVICE_SUBSCRIPTIONS,
  PROGRAMME_CONSUMER,
  ProjectSessionChanged,
  ProjectSessionDeleted,
  RecordEnrollmentRequests,
  RecordUnenrollment,
  type EventScope,
  type RecordEnrollmentRequestOutput,
  type RecordEnrollmentRequestsItem,
} from '@conference/event';

/** `correlation` is entered by the consumers around each handler (default: the package-wide messageCorrelation). */
export interface EventMessagingOptions extends MessagingSettings {
  readonly connection: AmqpConnection;
  /** The event database: its outbox is what the relay publishes. */
  readonly pool: DatabasePool;
  readonly uow: UnitOfWork<EventScope>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The envelope's `source` of what the handlers publish (default `event-service`). */
  readonly source?: string;
  /** Queue names; default `event.enrollments` / `event.programme` (tests make them unique per run). */
  readonly queues?: { readonly enrollments?: string; readonly programme?: string };
}

/** A message on a queue that is not bound to its type (someone bound it by hand): it can never be handled here. */
const unexpected = (queue: string, type: string): never => {
  throw new UnprocessableMessageError('MESSAGE.UNEXPECTED_TYPE', `${queue} does not handle ${type}`);
};

/** What the event service's consumers need; the embedded profile passes its in-process correlation. */
export interface EventConsumerDeps {
  readonly uow: UnitOfWork<EventScope>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Entered around each handler; what the handlers publish is stamped from it. */
  readonly correlation: CorrelationSource;
  readonly source?: string;
  readonly queues?: { readonly enrollments?: string; readonly programme?: string };
  /** How user.enrolled deliveries are grouped (see eventConsumers); the defaults suit the stack. */
  readonly enrollmentBatching?: EnrollmentBatching;
}

export interface EnrollmentBatching {
  /** Unacknowledged deliveries of the enrollments queue at once, so a burst can form (default 100). */
  readonly prefetch?: number;
  /** Most user.enrolled in one unit of work (default 100). */
  readonly maxSize?: number;
  /** Batches in flight at once (default 1): what arrives meanwhile forms the next one. */
  readonly concurrency?: number;
}

/**
 * The event service's consumers (queue, bindings, handler), whatever carries the messages:
 * RabbitMQ through createEventMessaging, or the embedded profile's in-process bus.
 */
export function eventConsumers(deps: EventConsumerDeps): ConsumerSpec[] {
  const messages = new MessageFactory(deps.source ?? 'event-service', deps.ids, deps.clock, deps.correlation);
  const recordEnrollments = new RecordEnrollmentRequests(deps.uow, messages, deps.clock);
  const batching = deps.enrollmentBatching ?? {};
  // user.enrolled comes in bursts (a popular event opening): the deliveries in hand are recorded in one
  // unit of work of a fixed number of statements instead of one each (bench/RESULTS.md). A batch that
  // fails as a whole is tried again item by item by the batcher; an item's own failure is its own.
  const enrollmentBatcher = new MicroBatcher<RecordEnrollmentRequestsItem, Result<RecordEnrollmentRequestOutput, DomainError>>(
    (items) => recordEnrollments.execute(items),
    { maxSize: batching.maxSize ?? 100, concurrency: batching.concurrency ?? 1 },
  );
  const recordUnenrollment = new RecordUnenrollment(deps.uow, messages, deps.clock);
  const sessionChanged = new ProjectSessionChanged(deps.uow);
  const sessionDeleted = new ProjectSessionDeleted(deps.uow);
  const enrollments = deps.queues?.enrollments ?? ENROLLMENT_CONSUMER;
  const programme = deps.queues?.programme ?? PROGRAMME_CONSUMER;
  return [
    {
      queue: enrollments,
      routingKeys: EVENT_SERVICE_SUBSCRIPTIONS[ENROLLMENT_CONSUMER]!,
      prefetch: batching.prefetch ?? 100,
      handler: async (message) => {
        switch (message.type) {
          case 'user.enrolled': {
            // The correlation is taken now, inside this delivery's context: the batch runs outside it,
            // and each outgoing message must carry the correlation of its own incoming message.
            const item = { messageId: message.id, data: message.data, correlation: deps.correlation.current() };
            const handled = handledValue(await enrollmentBatcher.submit(item));
            return handled.duplicate ? { duplicate: true } : { outcome: handled.outcome, eventId: message.data.eventId, userId: message.data.userId };
          }
          case 'user.unenrolled': {
            const handled = handledValue(await recordUnenrollment.execute({ messageId: message.id, data: message.data }));
            return handled.duplicate ? { duplicate: true } : { outcome: handled.outcome, promoted: handled.promotedUserIds.length };
          }
          default:
            return unexpected(enrollments, message.type);
        }
      },
    },
    {
      queue: programme,
      routingKeys: EVENT_SERVICE_SUBSCRIPTIONS[PROGRAMME_CONSUMER]!,
      handler: async (message) => {
        switch (message.type) {
          case 'session.created':
          case 'session.updated': {
            const handled = handledValue(await sessionChanged.execute({ messageId: message.id, data: message.data }));
            return handled.duplicate ? { duplicate: true } : { outcome: handled.outcome, eventIds: handled.eventIds };
          }
          case 'session.deleted': {
            const handled = handledValue(await sessionDeleted.execute({ messageId: message.id, data: message.data }));
            return handled.duplicate ? { duplicate: true } : { eventIds: handled.eventIds };
          }
          default:
            return unexpected(programme, message.type);
        }
      },
    },
  ];
}

/**
 * The event service's asynchronous side (DESIGN §1, §2):
 * - `event.enrollments`: user.enrolled → RecordEnrollmentRequests (the deliveries in hand at once, in one
 *   unit of work), user.unenrolled → RecordUnenrollment;
 * - `event.programme`: session.created/updated → ProjectSessionChanged, session.deleted → ProjectSessionDeleted;
 * - the relay publishing the event outbox (enrollment.*, event.published, event.cancelled).
 *
 * A use case that finds the message malformed (a validation error, returned before it records the
 * message id) dead-letters it at once; any other failure is retried with backoff and
 * dead-lettered after the last attempt. What the handlers publish is stamped with the incoming
 * message's correlation (the MessageFactory reads the consumer's correlation), so one request
 * can be followed from the user service to the notifier.
 */
export function createEventMessaging(options: EventMessagingOptions): ServiceMessaging {
  const correlation = options.correlation ?? messageCorrelation;
  return new ServiceMessaging({
    ...messagingSettingsOf(options),
    name: options.source ?? 'event-service',
    connection: options.connection,
    outboxPool: options.pool,
    consumers: eventConsumers({ ...options, correlation }),
    correlation,
  });
}
