import type { Channel } from 'amqplib';

/** The exchange every service publishes its domain messages to (DESIGN §4). */
export const DEFAULT_EXCHANGE = 'conference';

/** Retry delays by attempt (1 s, 5 s, 30 s, 2 min): past the blips (a restart, a deadlock) without hammering a peer that is down. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

export interface ConsumerTopology {
  readonly exchange: string;
  /** `<service>.<purpose>`, e.g. `event.enrollments`. */
  readonly queue: string;
  /** Message types (= routing keys) this consumer handles. */
  readonly routingKeys: readonly string[];
  /** Delay before attempt n+1 is `retryDelaysMs[min(n-1, last)]`. */
  readonly retryDelaysMs: readonly number[];
}

export const deadLetterQueueOf = (queue: string): string => `${queue}.dead`;

/** The consumer queue a dead-letter queue belongs to. */
export const consumerQueueOfDeadLetters = (deadQueue: string): string =>
  deadQueue.endsWith('.dead') ? deadQueue.slice(0, -'.dead'.length) : deadQueue;

/**
 * Why one delay queue per distinct delay (`<queue>.retry.<ms>ms`, queue-wide `x-message-ttl`)
 * instead of one `<queue>.retry` with a per-message TTL: RabbitMQ expires messages only at the head
 * of a queue, so a message waiting 2 minutes would hold back one behind it that should wait 1 s.
 * In a queue where every message has the same TTL, expiry order is arrival order. The delay is in
 * the name because queue arguments cannot change after declaration: a new delay makes a new queue
 * (the old one drains into the consumer queue by itself and can be deleted) instead of a
 * PRECONDITION_FAILED at start-up.
 */
export const retryQueueOf = (queue: string, delayMs: number): string => `${queue}.retry.${delayMs}ms`;

export const retryDelayFor = (attempt: number, delaysMs: readonly number[]): number =>
  delaysMs[Math.min(Math.max(attempt, 1), delaysMs.length) - 1] ?? 1_000;

/** Every queue name a consumer owns: the queue, its retry queues and its dead-letter queue. */
export function queuesOf(topology: Pick<ConsumerTopology, 'queue' | 'retryDelaysMs'>): string[] {
  const retries = [...new Set(topology.retryDelaysMs)].map((delay) => retryQueueOf(topology.queue, delay));
  return [topology.queue, ...retries, deadLetterQueueOf(topology.queue)];
}

/** The topic exchange: durable, so bindings survive a broker restart. Idempotent. */
export async function declareExchange(channel: Channel, exchange: string): Promise<void> {
  await channel.assertExchange(exchange, 'topic', { durable: true });
}

/**
 * Declares (idempotently) a consumer's queues:
 * - `<queue>`: durable, bound to the exchange by each routing key;
 * - `<queue>.retry.<ms>ms`: durable, no consumer; `x-message-ttl` = delay, and on expiry the broker
 *   dead-letters the message through the default exchange (`x-dead-letter-exchange: ""`) with
 *   routing key `<queue>`, i.e. back to this consumer only, not to every consumer of the type;
 * - `<queue>.dead`: durable, no consumer; what failed for good waits there for an operator.
 */
export async function declareConsumerTopology(channel: Channel, topology: ConsumerTopology): Promise<void> {
  await declareExchange(channel, topology.exchange);
  await channel.assertQueue(topology.queue, { durable: true });
  for (const key of topology.routingKeys) await channel.bindQueue(topology.queue, topology.exchange, key);
  for (const delay of new Set(topology.retryDelaysMs)) {
    await channel.assertQueue(retryQueueOf(topology.queue, delay), {
      durable: true,
      arguments: { 'x-message-ttl': delay, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': topology.queue },
    });
  }
  await channel.assertQueue(deadLetterQueueOf(topology.queue), { durable: true });
}
