import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { decodeMessage, type KnownMessage } from '@conference/messages';
import type { AmqpConnection, ConnectionParticipant } from './connection.js';
import type { RoutingPattern } from './consumer.js';
import { errorFields, jsonLogger, type Logger } from './logger.js';
import { DEFAULT_EXCHANGE, declareExchange } from './topology.js';
import { Resubscriber } from './resubscriber.js';

export interface BroadcastSubscriptionOptions {
  /** Message types (or topic patterns) to hear about. */
  readonly routingKeys: readonly RoutingPattern[];
  /**
   * Called for every message, in delivery order. It must not throw for a message it does not want
   * (what it throws is logged and dropped: there is no retry here).
   */
  readonly onMessage: (message: KnownMessage) => void;
  /**
   * The queue is bound and consumed (at start and after every reconnect): from now on nothing is
   * missed, but whatever was published while there was no queue was, so derived state should be
   * rebuilt or dropped here.
   */
  readonly onSubscribed?: () => void;
  /** The queue is gone (connection or channel lost, stopped): messages are being missed from now on. */
  readonly onLost?: () => void;
  /** Default `conference`. */
  readonly exchange?: string;
  /** For the logs: what the subscription is for. */
  readonly name?: string;
  readonly logger?: Logger;
}

/**
 * Every instance hears every message of the bound types: an exclusive, auto-delete queue with a
 * server-generated name per subscription, bound to the exchange, consumed without acks. Made for
 * state each instance keeps for itself (cache invalidation), where AmqpConsumer's shared durable
 * queue would hand each message to one instance only.
 *
 * Nothing is durable on purpose: the queue lives exactly as long as the channel, so a stopped or
 * crashed instance leaves nothing behind to fill up. The price is that messages published while
 * there is no queue are never seen, which `onLost` / `onSubscribed` tell the owner about; the queue
 * is declared again (new name) on every reconnect and after a channel-level close.
 */
export class BroadcastSubscription implements ConnectionParticipant {
  private readonly exchange: string;
  private readonly name: string;
  private readonly logger: Logger;
  private channel: Channel | null = null;
  private subscribed = false;
  private stopping = false;
  private readonly resubscriber: Resubscriber;
  private currentQueue: string | null = null;

  constructor(private readonly connection: AmqpConnection, private readonly options: BroadcastSubscriptionOptions) {
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.name = options.name ?? 'broadcast';
    this.logger = options.logger ?? jsonLogger;
    if (options.routingKeys.length === 0) throw new Error('a broadcast subscription needs at least one routing key');
    this.resubscriber = new Resubscriber(
      connection,
      (model) => this.attach(model),
      () => this.stopping || this.channel !== null,
      (error) => this.logger.error({ subscription: this.name, ...errorFields(error) }, 'amqp broadcast could not subscribe again'),
    );
  }

  /** The server-named queue while subscribed (for tests and logs), else null. */
  get queue(): string | null {
    return this.currentQueue;
  }

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  /** Subscribes now if connected, and again after every reconnect. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.connection.register(this);
  }

  async attach(model: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.logger.warn({ subscription: this.name, ...errorFields(error) }, 'amqp broadcast channel error'));
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = null;
      this.markLost();
      // The connection may be fine (a channel-level error, the queue deleted): subscribe again.
      this.resubscriber.schedule();
    });
    await declareExchange(channel, this.exchange);
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    for (const key of this.options.routingKeys) await channel.bindQueue(queue, this.exchange, key);
    this.channel = channel;
    await channel.consume(queue, (delivery) => {
      if (delivery === null) {
        this.logger.warn({ subscription: this.name, queue }, 'amqp broadcast subscription cancelled by the broker');
        void channel.close().catch(() => undefined);
        return;
      }
      this.deliver(delivery);
    }, { noAck: true, exclusive: true });
    this.currentQueue = queue;
    this.subscribed = true;
    this.logger.info({ subscription: this.name, queue, routingKeys: this.options.routingKeys }, 'amqp broadcast subscribed');
    this.options.onSubscribed?.();
  }

  detach(): void {
    this.channel = null;
    this.markLost();
  }

  /** Stops listening and deletes the queue (closing the channel does). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.resubscriber.cancel();
    this.connection.unregister(this);
    const channel = this.channel;
    this.channel = null;
    this.markLost();
    await channel?.close().catch(() => undefined);
  }

  private markLost(): void {
    this.currentQueue = null;
    if (!this.subscribed) return;
    this.subscribed = false;
    this.options.onLost?.();
  }

  private deliver(delivery: ConsumeMessage): void {
    let raw: unknown;
    try {
      raw = JSON.parse(delivery.content.toString('utf8'));
    } catch (error) {
      this.logger.warn({ subscription: this.name, messageId: delivery.properties.messageId, ...errorFields(error) }, 'amqp broadcast: not JSON; ignored');
      return;
    }
    const decoded = decodeMessage(raw);
    if (!decoded.ok) {
      this.logger.warn({ subscription: this.name, messageId: delivery.properties.messageId, reason: decoded.error.code }, 'amqp broadcast: not a known message; ignored');
      return;
    }
    try {
      this.options.onMessage(decoded.value);
    } catch (error) {
      this.logger.error({ subscription: this.name, messageId: decoded.value.id, type: decoded.value.type, ...errorFields(error) }, 'amqp broadcast handler threw; message dropped');
    }
  }
}
