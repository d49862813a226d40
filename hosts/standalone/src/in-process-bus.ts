import { AsyncLocalStorage } from 'node:async_hooks';
import { UnprocessableMessageError } from '@conference/adapters-rabbitmq';
import { sql, type DatabasePool } from 'slonik';
import { pendingOutbox } from '@conference/adapters-postgres';
import type { Correlation, CorrelationSource, Logger, MessageEnvelope } from '@conference/kernel';
import { decodeMessage, type KnownMessage } from '@conference/messages';

/**
 * The correlation of the work a message causes, for the MessageFactory of the consumers' use cases:
 * what they publish carries the incoming correlation id and the incoming message id as causation,
 * as behind RabbitMQ (adapters-rabbitmq's AsyncLocalCorrelation does the same there).
 */
export class MessageCorrelation implements CorrelationSource {
  private readonly storage = new AsyncLocalStorage<Correlation>();

  current(): Correlation {
    return this.storage.getStore() ?? { correlationId: null, causationId: null };
  }

  run<T>(message: Pick<MessageEnvelope, 'id' | 'correlationId'>, work: () => T): T {
    return this.storage.run({ correlationId: message.correlationId ?? message.id, causationId: message.id }, work);
  }
}

/** A type pattern as the AMQP bindings use them: an exact type, `prefix.*`, or `#` for everything. */
export type TypePattern = string;

export interface InProcessConsumer {
  /** The consumer's name (its queue's behind RabbitMQ; the use cases record it in their inbox). */
  readonly name: string;
  readonly types: readonly TypePattern[];
  readonly handle: (message: KnownMessage) => Promise<unknown>;
}

export interface InProcessBusOptions {
  readonly logger: Logger;
  /** The correlation the consumers' MessageFactories read. */
  readonly correlation: MessageCorrelation;
  /** Delays before the 2nd, 3rd ... attempt; its length + 1 is the number of attempts. Default 100 ms, 500 ms, 2 s. */
  readonly retryDelaysMs?: readonly number[];
  /** How often each outbox is read when nothing woke the relay. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Rows read from an outbox per round. Default 100. */
  readonly batchSize?: number;
}

const matches = (pattern: TypePattern, type: string): boolean =>
  pattern === '#' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)) && !type.slice(pattern.length - 1).includes('.'));

type Outcome = { readonly consumer: string; readonly status: 'handled' } | { readonly consumer: string; readonly status: 'failed'; readonly error: string } | { readonly consumer: string; readonly status: 'stopped' };

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * One consumer's queue: messages are handled one at a time in the order they were delivered (the
 * relay delivers in outbox position order), so a consumer never sees user.unenrolled before the
 * user.enrolled it follows. A failing message is retried with backoff and then given up on; that
 * holds up this consumer for at most the sum of the delays, never the other consumers.
 */
class ConsumerQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    readonly consumer: InProcessConsumer,
    private readonly options: Required<Pick<InProcessBusOptions, 'retryDelaysMs'>> & Pick<InProcessBusOptions, 'logger' | 'correlation'>,
  ) {}

  deliver(message: KnownMessage): Promise<Outcome> {
    const outcome = this.tail.then(() => this.process(message));
    this.tail = outcome;
    return outcome;
  }

  /** Finishes the message in hand; the queued ones come back as `stopped` (they stay in the outbox). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.tail;
  }

  private async process(message: KnownMessage): Promise<Outcome> {
    const name = this.consumer.name;
    const log = { consumer: name, messageId: message.id, type: message.type, correlationId: message.correlationId };
    const attempts = this.options.retryDelaysMs.length + 1;
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopping) return { consumer: name, status: 'stopped' };
      try {
        await this.options.correlation.run(message, () => this.consumer.handle(message));
        return { consumer: name, status: 'handled' };
      } catch (error) {
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (error instanceof UnprocessableMessageError) {
          this.options.logger.warn({ ...log, attempt, reason: error.code, error: text }, 'message unprocessable; recorded as failed');
          return { consumer: name, status: 'failed', error: text };
        }
        if (attempt >= attempts) {
          this.options.logger.error({ ...log, attempt, error: text }, 'message failed on its last attempt; recorded as failed in the outbox');
          return { consumer: name, status: 'failed', error: text };
        }
        const wait = this.options.retryDelaysMs[attempt - 1]!;
        this.options.logger.warn({ ...log, attempt, error: text, retryInMs: wait }, 'message failed; retrying');
        await delay(wait);
      }
    }
  }
}

/**
 * Reads one service database's outbox in position order and hands each message to the consumers
 * subscribed to its type. A message is marked published once every consumer has handled it or
 * given up on it; one that some consumer gave up on keeps the reason in `last_error` (and
 * `attempts`), where an operator finds it and can replay it by clearing `published_at` — the
 * consumers' inboxes make the consumers that had handled it skip it.
 *
 * Delivery is at least once: a stop or a crash between handling and marking re-delivers on the
 * next start, which the inboxes absorb.
 */
class OutboxRelay {
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    readonly source: string,
    private readonly pool: DatabasePool,
    private readonly consumers: readonly ConsumerQueue[],
    private readonly options: Required<Pick<InProcessBusOptions, 'pollIntervalMs' | 'batchSize'>> & Pick<InProcessBusOptions, 'logger'>,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Reads the outbox now (after a write that added messages) rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.round) this.again = true;
    else this.schedule(0);
  }

  /** Stops reading and waits for the messages already handed out to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.round;
    await Promise.all(this.inFlight.values());
  }

  /** Resolves when nothing is pending or in flight (tests and the drain on stop). */
  async idle(): Promise<boolean> {
    await this.round;
    await Promise.all(this.inFlight.values());
    const pending = await pendingOutbox(this.pool, 1);
    return pending.length === 0 && this.inFlight.size === 0;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.readOnce()
        .catch((error: unknown) => this.options.logger.error({ source: this.source, error: String(error) }, 'outbox relay round failed; retrying'))
        .finally(() => {
          this.round = null;
          const next = this.again ? 0 : this.options.pollIntervalMs;
          this.again = false;
          this.schedule(next);
        });
    }, ms);
    this.timer.unref();
  }

  private async readOnce(): Promise<void> {
    const pending = await pendingOutbox(this.pool, this.options.batchSize);
    for (const { envelope } of pending) {
      if (this.stopped) return;
      if (this.inFlight.has(envelope.id)) continue;
      const delivery = this.dispatch(envelope).finally(() => this.inFlight.delete(envelope.id));
      this.inFlight.set(envelope.id, delivery);
    }
  }

  private async dispatch(envelope: MessageEnvelope): Promise<void> {
    const decoded = decodeMessage(envelope);
    if (!decoded.ok) {
      // What a broker consumer would dead-letter at once: nobody can handle it, so it must not block the rest.
      const reason = `${decoded.error.code}: ${decoded.error.message}`;
      this.options.logger.error({ source: this.source, messageId: envelope.id, type: envelope.type, reason }, 'malformed message in the outbox; recorded as failed');
      await this.mark(envelope.id, [reason]);
      return;
    }
    const message = decoded.value;
    const subscribed = this.consumers.filter((queue) => queue.consumer.types.some((pattern) => matches(pattern, message.type)));
    const outcomes = await Promise.all(subscribed.map((queue) => queue.deliver(message)));
    // A consumer stopped before handling it: leave the row unpublished, the next start delivers it again.
    if (outcomes.some((outcome) => outcome.status === 'stopped')) return;
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [`${outcome.consumer}: ${outcome.error}`] : []));
    await this.mark(envelope.id, failures);
  }

  private async mark(id: string, failures: readonly string[]): Promise<void> {
    if (failures.length === 0) {
      await this.pool.query(sql.unsafe`UPDATE outbox SET published_at = now(), last_error = NULL WHERE id = ${id}`);
    } else {
      await this.pool.query(sql.unsafe`
        UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = ${failures.join('; ').slice(0, 1000)}
        WHERE id = ${id}`);
    }
  }
}

/**
 * RabbitMQ's part in the embedded profile: a relay per service database and the consumers of
 * every service, in this process. Same outbox, same inboxes, same use cases; no broker.
 */
export class InProcessBus {
  private readonly relays: OutboxRelay[] = [];
  private readonly queues: ConsumerQueue[];
  private started = false;

  constructor(consumers: readonly InProcessConsumer[], private readonly options: InProcessBusOptions) {
    const retryDelaysMs = options.retryDelaysMs ?? [100, 500, 2000];
    this.queues = consumers.map((consumer) => new ConsumerQueue(consumer, { retryDelaysMs, logger: options.logger, correlation: options.correlation }));
  }

  /** Relays the outbox of `pool` (a service database) to the consumers. */
  addOutbox(source: string, pool: DatabasePool): this {
    const relay = new OutboxRelay(source, pool, this.queues, {
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
      batchSize: this.options.batchSize ?? 100,
      logger: this.options.logger,
    });
    this.relays.push(relay);
    if (this.started) relay.start();
    return this;
  }

  start(): void {
    this.started = true;
    for (const relay of this.relays) relay.start();
  }

  /** Reads every outbox now. */
  wake(): void {
    for (const relay of this.relays) relay.wake();
  }

  /**
   * Waits until every outbox is empty and nothing is in flight, including the messages that
   * handling produced (a chain like user.enrolled → enrollment.confirmed), or `timeoutMs` passes.
   */
  async settled(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      this.wake();
      const idle = await Promise.all(this.relays.map((relay) => relay.idle()));
      if (idle.every(Boolean)) return true;
      await delay(20);
    }
    return false;
  }

  /** Stops the relays (no new deliveries), lets each consumer finish its message in hand. */
  async stop(): Promise<void> {
    await Promise.all([...this.relays.map((relay) => relay.stop()), ...this.queues.map((queue) => queue.stop())]);
  }
}
