import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { MessageEnvelope } from '@conference/kernel';
import type { AmqpConnection, ConnectionParticipant } from './connection.js';
import { Headers } from './headers.js';
import { errorFields, jsonLogger, type Logger } from './logger.js';
import { DEFAULT_EXCHANGE, declareExchange } from './topology.js';

export interface AmqpPublisherOptions {
  /** Default `conference`. */
  readonly exchange?: string;
  /** How long to wait for the broker's confirms of one batch before treating them as failed (default 10 s). */
  readonly confirmTimeoutMs?: number;
  readonly logger?: Logger;
}

/** Raised for every message of a batch that could not be handed to the broker (not connected). */
export class BrokerUnavailableError extends Error {
  constructor(message = 'not connected to the message broker') {
    super(message);
    this.name = 'BrokerUnavailableError';
  }
}

/** The AMQP properties of a domain message: persistent, identified, typed and correlated. */
export function envelopeProperties(envelope: MessageEnvelope): Options.Publish {
  const headers: Record<string, unknown> = { [Headers.messageVersion]: envelope.version };
  if (envelope.causationId !== null) headers[Headers.causationId] = envelope.causationId;
  // The request id of DESIGN §3 travels as the correlation id; the header is for tools that only read headers.
  if (envelope.correlationId !== null) headers[Headers.requestId] = envelope.correlationId;
  const occurred = Date.parse(envelope.occurredAt);
  return {
    deliveryMode: 2,
    contentType: 'application/json',
    messageId: envelope.id,
    type: envelope.type,
    appId: envelope.source,
    ...(envelope.correlationId !== null ? { correlationId: envelope.correlationId } : {}),
    ...(Number.isFinite(occurred) ? { timestamp: Math.floor(occurred / 1000) } : {}),
    headers,
  };
}

/** Publishes one message on a confirm channel and resolves when the broker confirms it. */
export function publishConfirmed(channel: ConfirmChannel, exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish(exchange, routingKey, content, options, (error) => (error ? reject(asError(error)) : resolve()));
    } catch (error) {
      reject(asError(error));
    }
  });
}

/**
 * Publishes domain messages to the topic exchange (routing key = type) on a confirm channel.
 * A batch is written in one go and then confirmed as a whole (TOOLCHAIN: ~10× the throughput of
 * awaiting each confirm), but the outcome is reported per message so the outbox relay can mark
 * exactly what the broker accepted.
 */
export class AmqpPublisher implements ConnectionParticipant {
  readonly exchange: string;
  private readonly confirmTimeoutMs: number;
  private readonly logger: Logger;
  private channel: ConfirmChannel | null = null;
  private opening: Promise<ConfirmChannel> | null = null;
  private model: ChannelModel | null = null;

  constructor(private readonly connection: AmqpConnection, options: AmqpPublisherOptions = {}) {
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
    this.logger = options.logger ?? jsonLogger;
  }

  /** Registers with the connection; the channel is opened now if connected, otherwise on connect. */
  async start(): Promise<void> {
    await this.connection.register(this);
  }

  async attach(model: ChannelModel): Promise<void> {
    this.model = model;
    await this.ensureChannel();
  }

  detach(): void {
    this.model = null;
    this.channel = null;
    this.opening = null;
  }

  async stop(): Promise<void> {
    const channel = this.channel;
    this.detach();
    this.connection.unregister(this);
    await channel?.close().catch(() => undefined);
  }

  /** Publishes and throws unless the broker confirmed every message. */
  async publish(...envelopes: MessageEnvelope[]): Promise<void> {
    const outcomes = await this.publishBatch(envelopes);
    const failed = outcomes.find((outcome) => outcome !== null);
    if (failed) throw failed;
  }

  /**
   * Publishes the batch in order and waits for the confirms. Returns, per message, null when the
   * broker confirmed it (it is then on disk in every queue it was routed to), or the error.
   * Never throws: an unconfirmed message is simply reported as failed, to be sent again.
   */
  async publishBatch(envelopes: readonly MessageEnvelope[]): Promise<Array<Error | null>> {
    if (envelopes.length === 0) return [];
    let channel: ConfirmChannel;
    try {
      channel = await this.ensureChannel();
    } catch (error) {
      return envelopes.map(() => asError(error));
    }
    const outcomes: Array<Error | null | undefined> = envelopes.map(() => undefined);
    const confirms = envelopes.map((envelope, index) => new Promise<void>((resolve) => {
      try {
        channel.publish(this.exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), envelopeProperties(envelope), (error) => {
          outcomes[index] = error ? asError(error, 'the broker refused the message (nack)') : null;
          resolve();
        });
      } catch (error) {
        // The channel closed under us: amqplib throws synchronously for the rest of the batch.
        outcomes[index] = asError(error);
        resolve();
      }
    }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.confirmTimeoutMs); });
    await Promise.race([Promise.all(confirms), timeout]);
    clearTimeout(timer);
    return outcomes.map((outcome) => (outcome === undefined ? new Error(`no confirm within ${this.confirmTimeoutMs} ms`) : outcome));
  }

  private ensureChannel(): Promise<ConfirmChannel> {
    if (this.channel) return Promise.resolve(this.channel);
    if (this.opening) return this.opening;
    const model = this.model ?? this.connection.current();
    if (!model) return Promise.reject(new BrokerUnavailableError());
    this.opening = (async () => {
      const channel = await model.createConfirmChannel();
      channel.on('error', (error: Error) => this.logger.warn(errorFields(error), 'amqp publisher channel error'));
      // A channel the broker closed (say, the exchange was deleted) is replaced on the next publish.
      channel.on('close', () => {
        if (this.channel === channel) this.channel = null;
      });
      await declareExchange(channel, this.exchange);
      this.channel = channel;
      return channel;
    })().finally(() => { this.opening = null; });
    return this.opening;
  }
}

function asError(error: unknown, fallback = 'publish failed'): Error {
  if (error instanceof Error) return error;
  return new Error(error === undefined || error === null ? fallback : String(error));
}
