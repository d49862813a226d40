import type { DatabasePool } from 'slonik';
import type { AmqpConnection } from './connection.js';
import type { KnownMessage } from '@conference/messages';
import { AmqpConsumer, type DeliveryInfo, type RoutingPattern } from './consumer.js';
import type { AsyncLocalCorrelation } from './correlation.js';
import { jsonLogger, type Logger } from './logger.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { AmqpPublisher } from './publisher.js';

/**
 * One consumer of a service: its queue (`<service>.<purpose>`), bindings and handler. The handler
 * is a MessageHandler that may also return what it did (`{ outcome: 'enrolled' }`), which goes
 * into the "message handled" log line beside the message id and correlation id.
 */
export interface ConsumerSpec {
  readonly queue: string;
  readonly routingKeys: readonly RoutingPattern[];
  readonly handler: (message: KnownMessage, delivery: DeliveryInfo) => Promise<Record<string, unknown> | void>;
  /** This consumer's prefetch, when it wants another than the service's (a handler that batches deliveries wants bursts). */
  readonly prefetch?: number;
}

export interface ServiceMessagingOptions {
  /** The service, for logs (`event-service`). */
  readonly name: string;
  /** Owned by the caller: opened before `start()`, closed after `stop()`. */
  readonly connection: AmqpConnection;
  /** The database whose `outbox` table the relay drains; null for a service that publishes nothing. */
  readonly outboxPool: DatabasePool | null;
  readonly consumers?: readonly ConsumerSpec[];
  /** Default `conference`. */
  readonly exchange?: string;
  /** Per consumer (default 10). */
  readonly prefetch?: number;
  /** Per consumer, the first try included (default 5). */
  readonly maxAttempts?: number;
  readonly retryDelaysMs?: readonly number[];
  readonly relay?: Omit<OutboxRelayOptions, 'logger' | 'name'>;
  readonly correlation?: AsyncLocalCorrelation;
  readonly logger?: Logger;
}

/** What a host passes through to its ServiceMessaging unchanged: broker names, retry policy, relay pacing, logging. */
export type MessagingSettings = Pick<ServiceMessagingOptions, 'exchange' | 'prefetch' | 'maxAttempts' | 'retryDelaysMs' | 'relay' | 'correlation' | 'logger'>;

/**
 * The MessagingSettings among a host's options (which also carry its pool, unit of work, clock…),
 * so each host spreads them into ServiceMessaging instead of copying them one by one.
 */
export function messagingSettingsOf(options: Partial<MessagingSettings>): MessagingSettings {
  const { exchange, prefetch, maxAttempts, retryDelaysMs, relay, correlation, logger } = options;
  return { exchange, prefetch, maxAttempts, retryDelaysMs, relay, correlation, logger };
}

/**
 * The asynchronous side of one service, composed the same way in every host: a confirming
 * publisher, the outbox relay that feeds it, and the consumers. A handler that resolved may have
 * committed messages to the outbox (a use case publishing an outcome), so the relay is kicked
 * right after it instead of waiting for its next tick.
 *
 * Start order: publisher, relay, then consumers (the first message handled can already be
 * relayed). Stop order is the reverse: consumers finish what they hold (bounded by the
 * connection's shutdown timeout), then the relay finishes its round, then the publisher closes.
 */
export class ServiceMessaging {
  readonly publisher: AmqpPublisher;
  readonly relay: OutboxRelay | null;
  readonly consumers: readonly AmqpConsumer[];
  private readonly logger: Logger;
  private readonly name: string;

  constructor(private readonly options: ServiceMessagingOptions) {
    this.name = options.name;
    this.logger = options.logger ?? jsonLogger;
    // An empty exchange name means the default one (`conference`), not AMQP's nameless exchange.
    const exchange = options.exchange || undefined;
    this.publisher = new AmqpPublisher(options.connection, { exchange, logger: this.logger });
    this.relay = options.outboxPool === null
      ? null
      : new OutboxRelay(options.outboxPool, this.publisher, { ...options.relay, name: `${options.name} outbox`, logger: this.logger });
    this.consumers = (options.consumers ?? []).map((spec) => new AmqpConsumer(options.connection, {
      queue: spec.queue,
      routingKeys: spec.routingKeys,
      handler: async (message, delivery) => {
        const outcome = await spec.handler(message, delivery);
        this.relay?.kick();
        // Failures are logged by the consumer; success is logged here, with the chain's correlation id (DESIGN §3).
        this.logger.info({
          service: this.name,
          queue: delivery.queue,
          messageId: message.id,
          type: message.type,
          correlationId: delivery.correlationId,
          attempt: delivery.attempt,
          ...outcome,
        }, 'message handled');
      },
      exchange,
      prefetch: spec.prefetch ?? options.prefetch,
      maxAttempts: options.maxAttempts,
      retryDelaysMs: options.retryDelaysMs,
      correlation: options.correlation,
      logger: this.logger,
    }));
  }

  async start(): Promise<void> {
    await this.publisher.start();
    this.relay?.start();
    for (const consumer of this.consumers) await consumer.start();
    this.logger.info({ service: this.name, consumers: this.consumers.map((c) => c.queue), relay: this.relay !== null }, 'messaging started');
  }

  /** Graceful: see the class comment. `timeoutMs` bounds each consumer's drain (default 10 s). */
  async stop(timeoutMs = 10_000): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop(timeoutMs)));
    await this.relay?.stop();
    await this.publisher.stop();
  }

  /** Call after a unit of work that wrote to the outbox committed outside a handler (an HTTP request). */
  kick(): void {
    this.relay?.kick();
  }
}
