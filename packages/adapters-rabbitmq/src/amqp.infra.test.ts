import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { ChannelModel } from 'amqplib';
import { DomainError, MessageFactory, RandomIdGenerator, SystemClock, type MessageEnvelope } from '@conference/kernel';
import type { KnownMessage } from '@conference/messages';
import {
  AmqpConnection,
  AmqpConsumer,
  AmqpPublisher,
  Headers,
  UnprocessableMessageError,
  handledValue,
  listDeadLetters,
  messageCorrelation,
  replayDeadLetters,
  jsonLogger,
  silentLogger,
  type DeliveryInfo,
  type MessageHandler,
} from './index.js';
import { BrokerProxy, createTestBroker, eventually, requireRabbitMq, type TestBroker } from './testing/index.js';

const ids = new RandomIdGenerator();
const registered = (n: number, correlationId: string | null = null): MessageEnvelope => ({
  id: ids.next(),
  type: 'user.registered',
  version: 1,
  occurredAt: new Date().toISOString(),
  source: 'user-service',
  correlationId,
  causationId: correlationId ? ids.next() : null,
  data: { userId: `u${n}`, email: `u${n}@example.org`, name: `User ${n}` },
});
/** DEBUG_AMQP=1 shows what the adapters log (they fail on purpose here, so it is off by default). */
const logger = process.env.DEBUG_AMQP === '1' ? jsonLogger : silentLogger;
const fastReconnect = { initialDelayMs: 50, maxDelayMs: 500 };

describe('@infra RabbitMQ adapters', function () {
  let broker: TestBroker;
  let connection: AmqpConnection;
  let publisher: AmqpPublisher;
  const consumers: AmqpConsumer[] = [];

  before(async function () {
    await requireRabbitMq(this);
  });

  beforeEach(async () => {
    broker = createTestBroker('amqp');
    connection = new AmqpConnection({ url: broker.url, name: 'test', logger, reconnect: fastReconnect, shutdownTimeoutMs: 2_000 }).start();
    await connection.waitForConnection(5_000);
    publisher = new AmqpPublisher(connection, { exchange: broker.exchange, logger });
    await publisher.start();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop(2_000)));
    await connection?.close();
    await broker?.cleanup();
  });

  const consumer = async (purpose: string, handler: MessageHandler, options: { prefetch?: number; maxAttempts?: number; retryDelaysMs?: number[] } = {}) => {
    const retryDelaysMs = options.retryDelaysMs ?? [50, 100];
    const created = new AmqpConsumer(connection, {
      queue: broker.queue(purpose, retryDelaysMs),
      exchange: broker.exchange,
      routingKeys: ['user.registered', 'user.enrolled'],
      handler,
      prefetch: options.prefetch ?? 10,
      maxAttempts: options.maxAttempts ?? 3,
      retryDelaysMs,
      logger,
    });
    consumers.push(created);
    await created.start();
    return created;
  };

  /** A plain queue bound to everything, read with basic.get: what actually went over the wire. */
  const rawQueue = async (model: ChannelModel) => {
    const name = broker.queue('raw');
    const channel = await model.createChannel();
    await channel.assertExchange(broker.exchange, 'topic', { durable: true });
    await channel.assertQueue(name, { durable: true });
    await channel.bindQueue(name, broker.exchange, '#');
    return { name, channel };
  };

  describe('publisher → consumer contract', () => {
    it('publishes with confirms; the message arrives once with every property and header, and the handler sees its correlation', async () => {
      const { name, channel } = await rawQueue(await broker.admin());
      const seen: Array<{ message: KnownMessage; info: DeliveryInfo; caused: MessageEnvelope }> = [];
      const factory = new MessageFactory('event-service', ids, new SystemClock(), messageCorrelation);
      await consumer('contract', async (message, info) => {
        // What a use case publishing from inside the handler would stamp on its own message.
        seen.push({ message, info, caused: factory.create('enrollment.confirmed', 'e1', {}).envelope });
      });
      const envelope = registered(1, 'req-42');
      await publisher.publish(envelope);

      const raw = await eventually(() => channel.get(name, { noAck: true }), 5_000, 'raw copy');
      expect(raw.fields.routingKey).to.equal('user.registered');
      expect(raw.properties).to.include({
        deliveryMode: 2,
        contentType: 'application/json',
        messageId: envelope.id,
        type: 'user.registered',
        correlationId: 'req-42',
        appId: 'user-service',
      });
      expect(raw.properties.headers).to.include({
        [Headers.causationId]: envelope.causationId,
        [Headers.requestId]: 'req-42',
        [Headers.messageVersion]: 1,
      });
      expect(JSON.parse(raw.content.toString())).to.deep.equal(envelope);

      await eventually(() => seen.length === 1, 5_000, 'delivery');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).to.have.length(1);
      expect(seen[0]!.message).to.deep.equal(envelope);
      expect(seen[0]!.info).to.include({ attempt: 1, correlationId: 'req-42', redelivered: false, routingKey: 'user.registered' });
      expect(seen[0]!.caused).to.include({ correlationId: 'req-42', causationId: envelope.id });
      expect(messageCorrelation.current()).to.deep.equal({ correlationId: null, causationId: null });
    });

    it('a message without correlation starts a chain: correlation = its own id', async () => {
      const seen: DeliveryInfo[] = [];
      await consumer('chain', async (_message, info) => { seen.push(info); });
      const envelope = registered(1, null);
      await publisher.publish(envelope);
      await eventually(() => seen.length === 1, 5_000, 'delivery');
      expect(seen[0]!.correlationId).to.equal(envelope.id);
    });

    it('respects the prefetch limit: never more unacknowledged messages in the handler than allowed', async () => {
      let running = 0;
      let peak = 0;
      let done = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      await consumer('prefetch', async () => {
        running += 1;
        peak = Math.max(peak, running);
        await gate;
        running -= 1;
        done += 1;
      }, { prefetch: 3 });
      await publisher.publish(...Array.from({ length: 12 }, (_, i) => registered(i)));
      await eventually(() => running === 3, 5_000, 'three in flight');
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for a fourth, if the limit leaked
      expect(running).to.equal(3);
      release();
      await eventually(() => done === 12, 5_000, 'all handled');
      expect(peak).to.equal(3);
    });

    it('subscribes again when its queue is deleted under it while the connection stays up', async () => {
      const seen: string[] = [];
      await consumer('deleted', async (message) => { seen.push(message.id); });
      const admin = await broker.admin();
      const channel = await admin.createChannel();
      await channel.deleteQueue(broker.queue('deleted', [50, 100]));
      await channel.close();
      // The broker cancels the consumer; within about a second it declares the queue and consumes again.
      const message = registered(1);
      await eventually(async () => {
        const [failure] = await publisher.publishBatch([{ ...message, id: ids.next() }]);
        if (failure) throw failure;
        return seen.length > 0;
      }, 8_000, 'a message handled after the queue came back');
    });

    it('reports a publish as failed, without throwing, while there is no connection', async () => {
      const idle = new AmqpConnection({ url: broker.url, logger }); // never started
      const stranded = new AmqpPublisher(idle, { exchange: broker.exchange, logger });
      const outcomes = await stranded.publishBatch([registered(1), registered(2)]);
      expect(outcomes.map((o) => o?.name)).to.deep.equal(['BrokerUnavailableError', 'BrokerUnavailableError']);
    });
  });

  describe('retries and dead letters', () => {
    it('retries a failing handler with growing delays and the attempt number, then succeeds', async () => {
      const attempts: Array<{ attempt: number; at: number }> = [];
      await consumer('retry', async (_message, info) => {
        attempts.push({ attempt: info.attempt, at: Date.now() });
        if (info.attempt < 3) throw new Error(`flaky ${info.attempt}`);
      }, { maxAttempts: 5, retryDelaysMs: [150, 300] });
      await publisher.publish(registered(1));
      await eventually(() => attempts.length === 3, 10_000, 'third attempt');
      expect(attempts.map((a) => a.attempt)).to.deep.equal([1, 2, 3]);
      // Lower bounds only (a busy 2-core machine may be late, never early); 20 ms for timer granularity.
      expect(attempts[1]!.at - attempts[0]!.at).to.be.at.least(130);
      expect(attempts[2]!.at - attempts[1]!.at).to.be.at.least(280);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(attempts).to.have.length(3);
    });

    it('dead-letters malformed and always-failing messages, keeps going, lists without losing, and replays after a fix', async () => {
      const admin = await broker.admin();
      let fixed = false;
      const handled: string[] = [];
      const tries = new Map<string, number>();
      const poison = registered(99);
      const queue = broker.queue('dead', [50, 100]);
      await consumer('dead', async (message) => {
        tries.set(message.id, (tries.get(message.id) ?? 0) + 1);
        if (message.id === poison.id && !fixed) throw new Error('the handler has a bug');
        handled.push(message.id);
      }, { maxAttempts: 3, retryDelaysMs: [50, 100] });

      const channel = await admin.createChannel();
      const before = registered(1);
      await publisher.publish(before);
      channel.publish(broker.exchange, 'user.registered', Buffer.from('{not json'), { messageId: 'bad-json' });
      channel.publish(broker.exchange, 'user.registered', Buffer.from(JSON.stringify({ ...registered(2), data: { userId: 'u2' } })), { messageId: 'bad-payload' });
      const unknownType = { ...registered(3), type: 'user.teleported' };
      channel.publish(broker.exchange, 'user.enrolled', Buffer.from(JSON.stringify(unknownType)), { messageId: unknownType.id });
      await publisher.publish(poison);
      const after = Array.from({ length: 5 }, (_, i) => registered(10 + i));
      await publisher.publish(...after);

      await eventually(() => [before, ...after].every((m) => handled.includes(m.id)), 5_000, 'the good messages');
      const letters = await eventually(async () => {
        const list = await listDeadLetters(admin, queue);
        return list.length === 4 ? list : null;
      }, 10_000, 'four dead letters');
      expect(tries.get(poison.id)).to.equal(3);
      const byId = new Map(letters.map((l) => [l.messageId, l]));
      expect(byId.get('bad-json')).to.include({ reason: 'MESSAGE.MALFORMED_JSON' });
      expect(byId.get('bad-payload')).to.include({ reason: 'MESSAGE.MALFORMED_DATA' });
      expect(byId.get(unknownType.id)).to.include({ reason: 'MESSAGE.UNKNOWN_TYPE' });
      expect(byId.get(poison.id)).to.include({ reason: 'HANDLER.FAILED', attempts: 3, type: 'user.registered', error: 'the handler has a bug' });
      expect(byId.get(poison.id)!.firstSeen).to.be.a('string');

      // Listing took nothing away, also through the operator CLI.
      const cli = fileURLToPath(new URL('./cli/dead-letters.js', import.meta.url));
      const { stdout } = await promisify(execFile)(process.execPath, [cli, 'list', queue], { env: { ...process.env, AMQP_URL: broker.url } });
      expect(stdout).to.contain(poison.id).and.to.contain('HANDLER.FAILED').and.to.contain('4 dead letter(s)');
      expect(await listDeadLetters(admin, queue)).to.have.length(4);

      fixed = true;
      const replayed = await replayDeadLetters(admin, queue, { messageId: poison.id });
      expect(replayed.map((l) => l.messageId)).to.deep.equal([poison.id]);
      await eventually(() => handled.includes(poison.id), 5_000, 'the replayed message');
      expect(tries.get(poison.id)).to.equal(4); // one more try, at attempt 1 again: the counter was reset
      expect((await listDeadLetters(admin, queue)).map((l) => l.messageId).sort()).to.deep.equal(['bad-json', 'bad-payload', unknownType.id].sort());

      const { stdout: replayOut } = await promisify(execFile)(process.execPath, [cli, 'replay', queue, '--all'], { env: { ...process.env, AMQP_URL: broker.url } });
      expect(replayOut).to.match(/replayed 3 message/);
      // Still malformed, so they come straight back: replaying cannot make bad input good.
      await eventually(async () => (await listDeadLetters(admin, queue)).length === 3, 5_000, 'malformed back in the dead letters');
    });
  });

  describe('unprocessable messages', () => {
    it('dead-letters a message whose handler throws UnprocessableMessageError at once, with its code, and keeps going', async () => {
      const admin = await broker.admin();
      const queue = broker.queue('unprocessable', [50, 100]);
      const tries = new Map<string, number>();
      const handled: string[] = [];
      const bad = registered(1);
      await consumer('unprocessable', async (message) => {
        tries.set(message.id, (tries.get(message.id) ?? 0) + 1);
        if (message.id === bad.id) handledValue({ ok: false, error: DomainError.validation('USER.MALFORMED_MESSAGE', 'userId is not a UUID') });
        handled.push(message.id);
      }, { maxAttempts: 3, retryDelaysMs: [50, 100] });
      const after = registered(2);
      await publisher.publish(bad, after);
      await eventually(() => handled.includes(after.id), 5_000, 'the message after it');
      const [letter] = await eventually(async () => {
        const list = await listDeadLetters(admin, queue);
        return list.length === 1 ? list : null;
      }, 5_000, 'one dead letter');
      expect(tries.get(bad.id)).to.equal(1);
      expect(letter).to.include({ messageId: bad.id, reason: 'USER.MALFORMED_MESSAGE', attempts: 1 });
    });

    it('handledValue: the value of an ok result; other expected errors are thrown as they are (retried)', () => {
      expect(handledValue({ ok: true, value: 7 })).to.equal(7);
      const conflict = DomainError.conflict('EVENT.STALE_VERSION', 'changed');
      expect(() => handledValue({ ok: false, error: conflict })).to.throw(DomainError).that.satisfies((e: unknown) => !(e instanceof UnprocessableMessageError));
    });
  });

  describe('connection loss', () => {
    it('recovers when the connection is closed under it: publisher and consumer keep working', async () => {
      const handled: string[] = [];
      await consumer('reconnect', async (message) => { handled.push(message.id); });
      const first = registered(1);
      await publisher.publish(first);
      await eventually(() => handled.includes(first.id), 5_000, 'before the loss');

      const lost = connection.current()!;
      const reconnected = new Promise((resolve) => connection.once('connected', resolve));
      await lost.close();
      expect(connection.isConnected()).to.equal(false);
      await reconnected;
      expect(connection.current()).to.not.equal(lost);

      const second = registered(2);
      await eventually(async () => (await publisher.publishBatch([second]))[0] === null, 5_000, 'publish after reconnect');
      await eventually(() => handled.includes(second.id), 5_000, 'consumed after reconnect');
    });

    it('survives the broker going away (nothing listening) and coming back, and waits for it at start', async () => {
      const proxy = await BrokerProxy.start(broker.url);
      await proxy.down();
      const flaky = new AmqpConnection({ url: proxy.url, logger, reconnect: fastReconnect, connectTimeoutMs: 1_000 }).start();
      try {
        const handled: string[] = [];
        const proxied = new AmqpConsumer(flaky, {
          queue: broker.queue('proxied'),
          exchange: broker.exchange,
          routingKeys: ['user.registered'],
          handler: async (message) => { handled.push(message.id); },
          maxAttempts: 1,
          logger,
        });
        await proxied.start(); // not connected yet: subscribes once the broker is there
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(flaky.isConnected()).to.equal(false);
        await proxy.up();
        await flaky.waitForConnection(5_000);
        const first = registered(1);
        await eventually(async () => (await publisher.publishBatch([first]))[0] === null && handled.includes(first.id), 5_000, 'first through the proxy');

        await proxy.down();
        await eventually(() => !flaky.isConnected(), 5_000, 'loss noticed');
        const whileDown = registered(2);
        await publisher.publish(whileDown); // queued in the durable queue meanwhile
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(handled).to.not.include(whileDown.id);
        await proxy.up();
        await eventually(() => handled.includes(whileDown.id), 10_000, 'consumed after the broker came back');
        await proxied.stop(1_000);
      } finally {
        await flaky.close();
        await proxy.close();
      }
    });
  });

  describe('graceful shutdown', () => {
    it('close() stops taking messages and lets the handler in flight finish and ack', async () => {
      const admin = await broker.admin();
      let finished = 0;
      let started = 0;
      const queue = broker.queue('shutdown', [50, 100]);
      await consumer('shutdown', async () => {
        started += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished += 1;
      }, { prefetch: 1 });
      await publisher.publish(registered(1), registered(2), registered(3));
      await eventually(() => started === 1, 5_000, 'first started');
      const closing = Date.now();
      await connection.close();
      expect(finished).to.equal(started);
      expect(Date.now() - closing).to.be.below(2_000);
      const left = await admin.createChannel();
      const { messageCount } = await left.checkQueue(queue);
      expect(messageCount).to.equal(3 - finished); // the finished ones are acked, the rest wait
      await left.close();
    });
  });
});

