import * as t from 'io-ts';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';

/** DESIGN §4: the envelope every asynchronous message travels in. */
export interface MessageEnvelope<T = unknown> {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly source: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly data: T;
}

/** Validates an envelope on receipt; `data` is checked afterwards by the codec of its type. */
export const MessageEnvelopeCodec = t.exact(
  t.type({
    id: t.string,
    type: t.string,
    version: t.number,
    occurredAt: t.string,
    source: t.string,
    correlationId: t.union([t.string, t.null]),
    causationId: t.union([t.string, t.null]),
    data: t.unknown,
  }),
);

/** A message on its way out, with the aggregate it belongs to so the relay keeps per-aggregate order. */
export interface OutgoingMessage<T = unknown> {
  readonly aggregateId: string;
  readonly envelope: MessageEnvelope<T>;
}

/**
 * Port: the outbox. Messages added inside a unit of work are published only if that unit of
 * work commits, and then at least once.
 */
export interface Outbox {
  add(...messages: OutgoingMessage[]): Promise<void>;
}

/**
 * Port: the inbox of a consumer. `record` returns false when the message id was already
 * processed, so handling a redelivered message changes nothing. Called inside the same unit
 * of work as the state change it guards.
 */
export interface Inbox {
  record(consumer: string, messageId: string): Promise<boolean>;
  /**
   * `record` for many ids in one go (a batch of deliveries): the ids among `messageIds` that were
   * not processed before and are recorded now. An id given twice is recorded once and returned once.
   */
  recordMany(consumer: string, messageIds: readonly string[]): Promise<ReadonlySet<string>>;
}

/** Where the current request or message came from, so messages can be followed across services. */
export interface Correlation {
  readonly correlationId: string | null;
  readonly causationId: string | null;
}

/** Port: the correlation of the work in progress (a request id, or the message being handled). */
export interface CorrelationSource {
  current(): Correlation;
}

export const noCorrelation: CorrelationSource = { current: () => ({ correlationId: null, causationId: null }) };

/** Builds envelopes stamped with id, time, source service and correlation. */
export class MessageFactory {
  constructor(
    private readonly source: string,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly correlation: CorrelationSource = noCorrelation,
  ) {}

  /**
   * The same factory stamping every message with `correlation` instead of asking its source: for
   * work on many incoming messages at once (a batch), where each outgoing message carries the
   * correlation of the message that caused it rather than whichever one the source holds.
   */
  withCorrelation(correlation: Correlation): MessageFactory {
    const fixed: Correlation = { correlationId: correlation.correlationId, causationId: correlation.causationId };
    return new MessageFactory(this.source, this.ids, this.clock, { current: () => fixed });
  }

  create<T>(type: string, aggregateId: string, data: T, version = 1): OutgoingMessage<T> {
    const { correlationId, causationId } = this.correlation.current();
    return {
      aggregateId,
      envelope: {
        id: this.ids.next(),
        type,
        version,
        occurredAt: this.clock.now().toISOString(),
        source: this.source,
        correlationId,
        causationId,
        data,
      },
    };
  }
}
