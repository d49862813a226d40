import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { connect, type ChannelModel } from 'amqplib';
import { infrastructureRequired } from '@conference/adapters-postgres/testing';
import { defaultAmqpUrl, redact } from '../connection.js';
import { queuesOf } from '../topology.js';

/** Where the tests find RabbitMQ (AMQP_URL, or the local default). */
export const amqpTestUrl = (): string => defaultAmqpUrl();

const answers = new Map<string, Promise<string | null>>();

/** Null when RabbitMQ answers at `url`; otherwise why not. Asked once per process and URL. */
export function rabbitMqProblem(url = amqpTestUrl()): Promise<string | null> {
  let answer = answers.get(url);
  if (!answer) {
    answer = (async () => {
      try {
        const model = await connect(url, { timeout: 2_000 });
        await model.close();
        return null;
      } catch (error) {
        return `RabbitMQ unreachable at ${redact(url)}: ${(error as Error).message}`;
      }
    })();
    answers.set(url, answer);
  }
  return answer;
}

/**
 * For a mocha `before` hook of a suite that needs RabbitMQ: skips the suite when the broker is
 * missing, unless REQUIRE_INFRA=1 (CI), where it fails.
 */
export async function requireRabbitMq(context: Mocha.Context, url = amqpTestUrl()): Promise<void> {
  const problem = await rabbitMqProblem(url);
  if (problem === null) return;
  if (infrastructureRequired()) throw new Error(`${problem} (REQUIRE_INFRA=1, so this fails instead of skipping)`);
  console.warn(`  skipped: ${problem}`);
  context.skip();
}

/**
 * Names unique to one test run, so runs (and parallel CI jobs) on a shared broker never see each
 * other's messages, and a cleanup that deletes everything it named.
 */
export interface TestBroker {
  readonly url: string;
  /** `test.<prefix>.<suffix>`. */
  readonly exchange: string;
  readonly suffix: string;
  /** `<service>.<purpose>.<suffix>`; the queue and its retry/dead queues are deleted by `cleanup()`. */
  queue(purpose: string, retryDelaysMs?: readonly number[]): string;
  /** A plain connection for test-side declares, publishes and peeks. */
  admin(): Promise<ChannelModel>;
  /** Deletes the exchange and every queue named through `queue()`. */
  cleanup(): Promise<void>;
}

export function createTestBroker(prefix: string, url = amqpTestUrl()): TestBroker {
  const suffix = randomBytes(4).toString('hex');
  const exchange = `test.${prefix}.${suffix}`;
  const queues = new Set<string>();
  let adminModel: ChannelModel | null = null;
  return {
    url,
    exchange,
    suffix,
    queue(purpose, retryDelaysMs = []) {
      const name = `test-${prefix}.${purpose}.${suffix}`;
      for (const queue of queuesOf({ queue: name, retryDelaysMs })) queues.add(queue);
      return name;
    },
    async admin() {
      adminModel ??= await connect(url);
      return adminModel;
    },
    async cleanup() {
      const model = adminModel ?? (await connect(url));
      try {
        // One channel per delete: deleting something missing is fine, but a channel error would end the others.
        for (const queue of queues) {
          const channel = await model.createChannel();
          await channel.deleteQueue(queue).catch(() => undefined);
          await channel.close().catch(() => undefined);
        }
        const channel = await model.createChannel();
        await channel.deleteExchange(exchange).catch(() => undefined);
        await channel.close().catch(() => undefined);
      } finally {
        await model.close().catch(() => undefined);
        adminModel = null;
      }
    },
  };
}

/** A local port with nothing listening on it (bound, read and released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** An AMQP URL whose port has nothing listening: point a publisher or relay there to play "broker down". */
export async function unreachableAmqpUrl(): Promise<string> {
  const url = new URL(amqpTestUrl());
  url.port = String(await unusedPort());
  return url.toString();
}
