import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { DomainError, Result } from '@conference/kernel';
import { AckBatcher } from './ack-batcher.js';
import { decodeMessage, type KnownMessage, type MessageType } from '@conference/messages';
import type { AmqpConnection, ConnectionParticipant } from './connection.js';
import { AsyncLocalCorrelation, messageCorrelation } from './correlation.js';
import { Headers, copyHeaders, headerNumber } from './headers.js';
import { errorFields, jsonLogger, type Logger } from './logger.js';
import { publishConfirmed } from './publisher.js';
import { DEFAULT_EXCHANGE, DEFAULT_RETRY_DELAYS_MS, deadLetterQueueOf, declareConsumerTopology, retryDelayFor, retryQueueOf } from './topology.js';
import { Resubscriber } from './resubscriber.js';

/**
 * Thrown by a handler for a message that can never succeed although it passed the contract (its
 * use case found it malformed: a date that is not a date, an id that is not one). The consumer
 * dead-letters it at once, as it does a message that fails the contract, instead of retrying it
 * `maxAttempts` times first. `code` becomes the dead letter's `x-dead-reason`.
 */
export class UnprocessableMessageError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'UnprocessableMessageError';
  }
}

/**
 * The value of a use case's result, for a handler: a `validation` error means the message itself
 * is wrong (UnprocessableMessageError: dead-lettered now); any other expected error (a conflict,
 * an unavailable peer) may pass, so it is thrown as it is and the message is retried.
 */
export function handledValue<T>(result: Result<T, DomainError>): T {
  if (result.ok) return result.value;
  if (result.error.kind === 'validation') throw new UnprocessableMessageError(result.error.code, result.error.message);
  throw result.error;
}

/**
 * What a queue is bound to: message types, or topic patterns over them (`enrollment.*`, or `#`
 * for everything, as an audit log wants). The handler still only ever sees decoded known types.
 */
export type RoutingPattern = MessageType | `${string}.*` | '#';

/** What a handler learns about the delivery besides the message itself. */
export interface DeliveryInfo {
  readonly queue: string;
  /** 1 on the first try; n on the n-th (after n-1 failures). */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The broker delivered it before without an ack (a consumer died mid-way): the inbox makes this harmless. */
  readonly redelivered: boolean;
  readonly routingKey: string;
  /** The chain this message belongs to (the incoming correlation id, or the message id when it starts one). */
  readonly correlationId: string;
}

/**
 * Runs the use case for one message. In the host it opens a unit of work, records the message id in
 * the inbox (returning early when already recorded) and commits; resolving means "done, ack it",
 * throwing means "try again later".
 */
export type MessageHandler = (message: KnownMessage, delivery: DeliveryInfo) => Promise<void>;

export interface AmqpConsumerOptions {
  /** `<service>.<purpose>`, e.g. `event.enrollments`. */
  readonly queue: string;
  /** The message types (or topic patterns) to bind the queue to. */
  readonly routingKeys: readonly RoutingPattern[];
  readonly handler: MessageHandler;
  /** Default `conference`. */
  readonly exchange?: string;
  /** Unacknowledged messages in flight at once (default 10). */
  readonly prefetch?: number;
  /** Tries in all, the first included, before a message is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** Delay before the 2nd, 3rd, ... try; the last value repeats (default 1 s, 5 s, 30 s, 2 min). */
  readonly retryDelaysMs?: readonly number[];
  /** Entered around each handler call (default: the package-wide `messageCorrelation`). */
  readonly correlation?: AsyncLocalCorrelation;
  readonly logger?: Logger;
}

interface Rejection {
  readonly reason: string;
  readonly error: string;
}

/**
 * Consumes one queue with a prefetch limit and turns handler outcomes into acks, retries and dead
 * letters (DESIGN §4):
 * - malformed (not JSON, not an envelope, unknown type, invalid payload): straight to `<queue>.dead`
 *   with `x-dead-reason`, then acked: it can never succeed, so retrying only burns time;
 * - handler resolved: acked (the acks of one event-loop turn go out together, see AckBatcher);
 * - handler threw: re-published to the delay queue for this attempt with `x-attempt` + 1, or after
 *   `maxAttempts` to `<queue>.dead` with the error, and only then acked. Nothing is ever
 *   nack-requeued, which would spin a failing message through the consumer as fast as it fails.
 *
 * Re-publishing and acking are not atomic: when the re-publish is not confirmed the original is
 * not acked, and the broker hands it out again after the channel closes. Worst case one extra try.
 */
export class AmqpConsumer implements ConnectionParticipant {
  readonly queue: string;
  private readonly exchange: string;
  private readonly routingKeys: readonly string[];
  private readonly handler: MessageHandler;
  private readonly prefetch: number;
  private readonly maxAttempts: number;
  private readonly retryDelaysMs: readonly number[];
  private readonly correlation: AsyncLocalCorrelation;
  private readonly logger: Logger;
  private channel: ConfirmChannel | null = null;
  private acks: AckBatcher | null = null;
  private consumerTag: string | null = null;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly resubscriber: Resubscriber;

  constructor(private readonly connection: AmqpConnection, options: AmqpConsumerOptions) {
    this.queue = options.queue;
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.routingKeys = options.routingKeys;
    this.handler = options.handler;
    this.prefetch = options.prefetch ?? 10;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.correlation = options.correlation ?? messageCorrelation;
    this.logger = options.logger ?? jsonLogger;
    if (this.maxAttempts < 1) throw new Error('maxAttempts must be at least 1');
    if (this.retryDelaysMs.length === 0 && this.maxAttempts > 1) throw new Error('retryDelaysMs needs at least one delay when maxAttempts > 1');
    this.resubscriber = new Resubscriber(
      connection,
      (model) => this.attach(model),
      () => this.stopping || this.channel !== null,
      (error) => this.logger.error({ queue: this.queue, ...errorFields(error) }, 'amqp consumer could not subscribe again'),
    );
  }

  /** Subscribes now if connected, and again after every reconnect. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.connection.register(this);
  }

  /** Messages being handled right now (for readiness and shutdown). */
  get busy(): number {
    return this.inFlight.size;
  }

  async attach(model: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn({ queue: this.queue, ...errorFields(error) }, 'amqp consumer channel error'));
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = null;
      this.acks = null;
      this.consumerTag = null;
      // The channel died but the connection may be fine (e.g. a channel-level error): subscribe again.
      this.resubscriber.schedule();
    });
    await declareConsumerTopology(channel, {
      exchange: this.exchange,
      queue: this.queue,
      routingKeys: this.routingKeys,
      retryDelaysMs: this.maxAttempts > 1 ? this.retryDelaysMs.slice(0, this.maxAttempts - 1) : [],
    });
    await channel.prefetch(this.prefetch);
    this.channel = channel;
    const acks = new AckBatcher(channel);
    this.acks = acks;
    const { consumerTag } = await channel.consume(this.queue, (delivery) => {
      if (delivery === null) {
        // The broker cancelled us (the queue was deleted): try to declare and subscribe again.
        this.logger.warn({ queue: this.queue }, 'amqp consumer cancelled by the broker');
        void channel.close().catch(() => undefined);
        return;
      }
      acks.delivered(delivery);
      this.track(this.onDelivery(channel, acks, delivery));
    });
    this.consumerTag = consumerTag;
    this.logger.info({ queue: this.queue, prefetch: this.prefetch }, 'amqp consumer subscribed');
  }

  detach(): void {
    this.channel = null;
    this.acks = null;
    this.consumerTag = null;
  }

  /** Stops taking messages, waits (at most `timeoutMs`) for those being handled, then closes the channel. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    this.resubscriber.cancel();
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    this.consumerTag = null;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => false),
      new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(true), timeoutMs); }),
    ]);
    clearTimeout(timer);
    // Whatever is still unacked returns to the queue when the channel closes: handled again later, deduped by the inbox.
    if (gaveUp) this.logger.warn({ queue: this.queue, inFlight: this.inFlight.size }, 'amqp consumer stopped with handlers still running');
    this.connection.unregister(this);
    // The acks of the last handlers may still be waiting for the end of the turn.
    this.acks?.flush();
    this.acks = null;
    this.channel = null;
    await channel?.close().catch(() => undefined);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async onDelivery(channel: ConfirmChannel, acks: AckBatcher, delivery: ConsumeMessage): Promise<void> {
    const headers = delivery.properties.headers as Record<string, unknown> | undefined;
    const attempt = Math.max(1, headerNumber(headers, Headers.attempt) ?? 1);
    const decoded = parse(delivery.content);
    if (!decoded.ok) {
      this.logger.warn({ queue: this.queue, messageId: delivery.properties.messageId, reason: decoded.rejection.reason, error: decoded.rejection.error }, 'malformed message dead-lettered');
      await this.settle(acks, delivery, () => this.toDeadLetters(channel, delivery, attempt, decoded.rejection));
      return;
    }
    const message = decoded.message;
    const correlation = AsyncLocalCorrelation.causedBy(message);
    const log = { queue: this.queue, messageId: message.id, type: message.type, correlationId: correlation.correlationId, attempt };
    const info: DeliveryInfo = {
      queue: this.queue,
      attempt,
      maxAttempts: this.maxAttempts,
      redelivered: delivery.fields.redelivered,
      routingKey: delivery.fields.routingKey,
      correlationId: correlation.correlationId!,
    };
    try {
      await this.correlation.run(correlation, () => this.handler(message, info));
    } catch (error) {
      const failure = errorFields(error);
      if (error instanceof UnprocessableMessageError) {
        this.logger.warn({ ...log, ...failure, reason: error.code }, 'message unprocessable; dead-lettered');
        await this.settle(acks, delivery, () => this.toDeadLetters(channel, delivery, attempt, { reason: error.code, error: error.message }));
        return;
      }
      if (attempt >= this.maxAttempts) {
        this.logger.error({ ...log, ...failure }, 'message failed on its last attempt; dead-lettered');
        await this.settle(acks, delivery, () => this.toDeadLetters(channel, delivery, attempt, { reason: 'HANDLER.FAILED', error: String(failure.error) }));
      } else {
        const delay = retryDelayFor(attempt, this.retryDelaysMs);
        this.logger.warn({ ...log, ...failure, retryInMs: delay }, 'message failed; retrying later');
        await this.settle(acks, delivery, () => this.toRetry(channel, delivery, attempt, delay, String(failure.error)));
      }
      return;
    }
    acks.ack(delivery);
  }

  /** Re-publishes (confirmed) and then acks; when the re-publish fails the original stays unacked. */
  private async settle(acks: AckBatcher, delivery: ConsumeMessage, republish: () => Promise<void>): Promise<void> {
    try {
      await republish();
    } catch (error) {
      this.logger.error({ queue: this.queue, messageId: delivery.properties.messageId, ...errorFields(error) }, 'could not move message to retry/dead letters; it stays unacked and returns when the channel closes');
      return;
    }
    acks.ack(delivery);
  }

  private toRetry(channel: ConfirmChannel, delivery: ConsumeMessage, attempt: number, delayMs: number, error: string): Promise<void> {
    const headers = copyHeaders(delivery.properties.headers);
    headers[Headers.attempt] = attempt + 1;
    headers[Headers.lastError] = error.slice(0, 1000);
    headers[Headers.firstFailedAt] ??= new Date().toISOString();
    // The default exchange routes by queue name: only this consumer's delay queue, only this consumer again.
    return publishConfirmed(channel, '', retryQueueOf(this.queue, delayMs), delivery.content, republishProperties(delivery, headers));
  }

  private toDeadLetters(channel: ConfirmChannel, delivery: ConsumeMessage, attempt: number, rejection: Rejection): Promise<void> {
    const headers = copyHeaders(delivery.properties.headers);
    headers[Headers.attempt] = attempt;
    headers[Headers.deadReason] = rejection.reason;
    headers[Headers.lastError] = rejection.error.slice(0, 1000);
    headers[Headers.deadAt] = new Date().toISOString();
    headers[Headers.firstFailedAt] ??= headers[Headers.deadAt];
    headers[Headers.originalQueue] = this.queue;
    headers['x-original-routing-key'] = delivery.fields.routingKey;
    return publishConfirmed(channel, '', deadLetterQueueOf(this.queue), delivery.content, republishProperties(delivery, headers));
  }
}

/** The original properties, persistent, with new headers. */
export function republishProperties(delivery: Pick<ConsumeMessage, 'properties'>, headers: Record<string, unknown>): Options.Publish {
  const p = delivery.properties;
  return {
    deliveryMode: 2,
    contentType: p.contentType ?? 'application/json',
    ...(p.contentEncoding ? { contentEncoding: p.contentEncoding } : {}),
    ...(p.messageId ? { messageId: String(p.messageId) } : {}),
    ...(p.type ? { type: String(p.type) } : {}),
    ...(p.appId ? { appId: String(p.appId) } : {}),
    ...(p.correlationId ? { correlationId: String(p.correlationId) } : {}),
    ...(p.timestamp ? { timestamp: Number(p.timestamp) } : {}),
    headers,
  };
}

type Parsed = { ok: true; message: KnownMessage } | { ok: false; rejection: Rejection };

function parse(content: Buffer): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString('utf8'));
  } catch (error) {
    return { ok: false, rejection: { reason: 'MESSAGE.MALFORMED_JSON', error: (error as Error).message } };
  }
  const decoded = decodeMessage(raw);
  if (decoded.ok) return { ok: true, message: decoded.value };
  const issues = decoded.error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return { ok: false, rejection: { reason: decoded.error.code, error: issues ? `${decoded.error.message} (${issues})` : decoded.error.message } };
}

