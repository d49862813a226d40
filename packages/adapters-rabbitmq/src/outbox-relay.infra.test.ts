import { expect } from 'chai';
import { sql, type CommonQueryMethods, type DatabasePool } from 'slonik';
import { MessageFactory, RandomIdGenerator, SystemClock, type OutgoingMessage } from '@conference/kernel';
import type { KnownMessage } from '@conference/messages';
import { messagingMigrations, PostgresInbox, PostgresOutbox, PostgresUnitOfWork } from '@conference/adapters-postgres';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { AmqpConnection, AmqpConsumer, AmqpPublisher, OutboxRelay, jsonLogger, silentLogger, type BatchPublisher, type MessageHandler } from './index.js';
import { BrokerProxy, createTestBroker, eventually, requireRabbitMq, unreachableAmqpUrl, type TestBroker } from './testing/index.js';

const logger = process.env.DEBUG_AMQP === '1' ? jsonLogger : silentLogger;
const factory = new MessageFactory('user-service', new RandomIdGenerator(), new SystemClock());
const fastReconnect = { initialDelayMs: 50, maxDelayMs: 300 };

/** `n` messages over `aggregates` aggregates, interleaved, each saying which of its aggregate's messages it is. */
function messages(n: number, aggregates: number): OutgoingMessage[] {
  const seq = new Map<string, number>();
  return Array.from({ length: n }, (_, i) => {
    const aggregate = `user-${i % aggregates}`;
    const k = (seq.get(aggregate) ?? 0) + 1;
    seq.set(aggregate, k);
    return factory.create('user.registered', aggregate, { userId: aggregate, email: `${aggregate}@example.org`, name: String(k) });
  });
}

/** Commits the messages, `perTransaction` at a time, as use cases would. */
async function commit(pool: DatabasePool, outgoing: readonly OutgoingMessage[], perTransaction = 10): Promise<void> {
  const uow = new PostgresUnitOfWork(pool, (connection) => ({ outbox: new PostgresOutbox(connection) }));
  for (let i = 0; i < outgoing.length; i += perTransaction) {
    await uow.run(({ outbox }) => outbox.add(...outgoing.slice(i, i + perTransaction)));
  }
}

/** Per aggregate, the sequence numbers in the order they were received. */
function sequences(received: readonly KnownMessage[]): Map<string, number[]> {
  const result = new Map<string, number[]>();
  for (const message of received) {
    if (message.type !== 'user.registered') continue;
    const list = result.get(message.data.userId) ?? [];
    list.push(Number(message.data.name));
    result.set(message.data.userId, list);
  }
  return result;
}

const inOrder = (list: readonly number[]) => list.every((value, index) => value === index + 1);

describe('@infra outbox relay and inbox over RabbitMQ and PostgreSQL', function () {
  let db: TestDatabase;
  let broker: TestBroker;
  const closers: Array<() => Promise<void>> = [];

  before(async function () {
    await requireRabbitMq(this);
    await requirePostgres(this);
    db = await createTestDatabase('amqp_relay', [await messagingMigrations(), {
      name: 'amqp_test',
      migrations: [{ version: 1, name: 'counters', sql: 'CREATE TABLE counters (id text PRIMARY KEY, value integer NOT NULL);' }],
    }]);
  });
  after(async () => { await db?.close(); });

  beforeEach(async () => {
    await db.truncate();
    broker = createTestBroker('relay');
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await broker.cleanup();
  });

  /** A connection and publisher; waits for the broker unless the test points it somewhere dead on purpose. */
  const connect = async (url = broker.url) => {
    const connection = new AmqpConnection({ url, logger, reconnect: fastReconnect, connectTimeoutMs: 1_000, shutdownTimeoutMs: 2_000 }).start();
    closers.push(() => connection.close());
    if (url === broker.url) await connection.waitForConnection(5_000);
    const publisher = new AmqpPublisher(connection, { exchange: broker.exchange, logger, confirmTimeoutMs: 5_000 });
    await publisher.start();
    return { connection, publisher };
  };

  const relay = (pool: DatabasePool, publisher: AmqpPublisher, batchSize = 20) => {
    const created = new OutboxRelay(pool, publisher, { batchSize, intervalMs: 50, maxBackoffMs: 300, logger });
    closers.push(() => created.stop());
    return created;
  };

  const consume = async (connection: AmqpConnection, handler: MessageHandler, prefetch = 50) => {
    const consumer = new AmqpConsumer(connection, {
      queue: broker.queue('sink', [50]),
      exchange: broker.exchange,
      routingKeys: ['user.registered'],
      handler,
      prefetch,
      maxAttempts: 2,
      retryDelaysMs: [50],
      logger,
    });
    closers.push(() => consumer.stop(2_000));
    await consumer.start();
    return consumer;
  };

  const unpublished = () => db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM outbox WHERE published_at IS NULL`);

  it('loses nothing while the broker is unreachable: rows wait (attempts counted) and all go out in order once it is back', async () => {
    const proxy = await BrokerProxy.start(broker.url);
    closers.push(() => proxy.close());
    await proxy.down();
    const received: KnownMessage[] = [];
    const { connection: consumerSide } = await connect();
    await consume(consumerSide, async (message) => { received.push(message); });

    const { publisher } = await connect(proxy.url);
    const worker = relay(db.pool, publisher);
    worker.start();
    const outgoing = messages(60, 3);
    await commit(db.pool, outgoing);
    worker.kick();

    await eventually(async () => Number(await db.pool.oneFirst(sql.unsafe`SELECT max(attempts) FROM outbox`)) >= 2, 5_000, 'failed attempts recorded');
    expect(await unpublished()).to.equal(60);
    const error = await db.pool.oneFirst(sql.unsafe`SELECT last_error FROM outbox WHERE attempts > 0 LIMIT 1`);
    expect(error).to.match(/not connected/);
    expect(received).to.have.length(0);

    await proxy.up();
    await eventually(() => received.length >= 60, 15_000, 'all delivered after the broker came back');
    expect(new Set(received.map((m) => m.id))).to.deep.equal(new Set(outgoing.map((m) => m.envelope.id)));
    for (const [aggregate, list] of sequences(received)) expect(inOrder(list), `${aggregate}: ${list.join(',')}`).to.equal(true);
    // The marks commit just after the confirms, so a consumer can be a moment ahead of them.
    await eventually(async () => (await unpublished()) === 0, 5_000, 'all marked published');
  });

  it('pointed at a port with nothing listening, leaves every row in place with its error', async () => {
    const { publisher } = await connect(await unreachableAmqpUrl());
    const worker = relay(db.pool, publisher);
    await commit(db.pool, messages(5, 2));
    const report = await worker.relayOnce();
    expect(report).to.deep.equal({ published: 0, failed: 2, deferred: 3 }); // the first of each aggregate was tried
    expect(await unpublished()).to.equal(5);
  });

  it('when one message of an aggregate is refused, publishes nothing of that aggregate after it, and the rest as usual', async () => {
    const sent: string[] = [];
    const outgoing = messages(9, 3); // user-0: 1,4,7  user-1: 2,5,8  user-2: 3,6,9 (by commit order)
    const refused = outgoing[4]!.envelope.id; // user-1's second message
    let refuse = true;
    const picky: BatchPublisher = {
      publishBatch: async (envelopes) => envelopes.map((envelope) => {
        if (refuse && envelope.id === refused) return new Error('nack');
        sent.push(envelope.id);
        return null;
      }),
    };
    await commit(db.pool, outgoing);
    const worker = new OutboxRelay(db.pool, picky, { logger });
    expect(await worker.relayOnce()).to.deep.equal({ published: 7, failed: 1, deferred: 1 });
    expect(sent).to.not.include(outgoing[7]!.envelope.id); // user-1's third waits behind its second
    refuse = false;
    expect(await worker.relayOnce()).to.deep.equal({ published: 2, failed: 0, deferred: 0 });
    expect(sent.slice(-2)).to.deep.equal([refused, outgoing[7]!.envelope.id]);
    expect(await db.pool.oneFirst(sql.unsafe`SELECT attempts FROM outbox WHERE id = ${refused}`)).to.equal(1);
  });

  it('running through a backlog in full rounds, a refused message still holds back its aggregate, and every message goes out once, in order per aggregate', async () => {
    const outgoing = messages(30, 3);
    const refused = outgoing[10]!.envelope.id;
    let refusals = 0;
    const sent: string[] = [];
    const picky: BatchPublisher = {
      publishBatch: async (envelopes) => {
        // A confirm takes a moment, as a broker's does.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return envelopes.map((envelope) => {
          if (envelope.id === refused && refusals < 2) {
            refusals += 1;
            return new Error('nack');
          }
          sent.push(envelope.id);
          return null;
        });
      },
    };
    await commit(db.pool, outgoing);
    const worker = new OutboxRelay(db.pool, picky, { logger, batchSize: 4, intervalMs: 10, minRoundIntervalMs: 1 });
    worker.start();
    try {
      await eventually(async () => sent.length === 30, 10_000, 'all 30 published');
    } finally {
      await worker.stop();
    }
    expect(refusals).to.equal(2);
    expect([...sent].sort()).to.deep.equal(outgoing.map((o) => o.envelope.id).sort());
    for (const aggregate of new Set(outgoing.map((o) => o.aggregateId))) {
      const mine = outgoing.filter((o) => o.aggregateId === aggregate).map((o) => o.envelope.id);
      expect(sent.filter((id) => mine.includes(id))).to.deep.equal(mine);
    }
    expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM outbox WHERE published_at IS NULL`)).to.equal(0);
  });

  it('two relays on one outbox (two pools) publish each message exactly once, in order per aggregate', async () => {
    const received: KnownMessage[] = [];
    const { connection: consumerSide } = await connect();
    await consume(consumerSide, async (message) => { received.push(message); });
    const secondPool = await db.newPool(5);
    const a = relay(db.pool, (await connect()).publisher, 15);
    const b = relay(secondPool, (await connect()).publisher, 15);
    a.start();
    b.start();
    const outgoing = messages(400, 8);
    // Committed while both run. Each writer owns its aggregates (even and odd), as use cases serialize
    // the writes of one aggregate: two unsynchronized writers of one aggregate can commit out of position order.
    await Promise.all([commit(db.pool, outgoing.filter((_, i) => i % 2 === 0), 5), commit(secondPool, outgoing.filter((_, i) => i % 2 === 1), 5)]);
    a.kick();
    b.kick();
    await eventually(async () => (await unpublished()) === 0, 20_000, 'outbox drained');
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a duplicate to show up, if any
    const counts = new Map<string, number>();
    for (const message of received) counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
    expect(counts.size).to.equal(400);
    expect([...counts.values()].every((count) => count === 1)).to.equal(true);
    // Order per aggregate: the order its messages were committed in.
    const committedOrder = new Map(outgoing.map((m, index) => [m.envelope.id, index]));
    const byAggregate = new Map<string, number[]>();
    for (const message of received) {
      const key = message.type === 'user.registered' ? message.data.userId : '';
      byAggregate.set(key, [...(byAggregate.get(key) ?? []), committedOrder.get(message.id)!]);
    }
    for (const [aggregate, order] of byAggregate) {
      const positions = await db.pool.anyFirst(sql.unsafe`SELECT id::text FROM outbox WHERE aggregate_id = ${aggregate} ORDER BY position`);
      expect(order.map((index) => outgoing[index]!.envelope.id), aggregate).to.deep.equal(positions);
    }
  });

  /** A publisher that records which relay sent what, in front of a real one. */
  const tagged = (name: string, inner: BatchPublisher, log: Array<{ relay: string; id: string }>): BatchPublisher => ({
    publishBatch: async (envelopes) => {
      for (const envelope of envelopes) log.push({ relay: name, id: envelope.id });
      return inner.publishBatch(envelopes);
    },
  });

  const expectOncePerMessageInOrder = async (received: readonly KnownMessage[], outgoing: readonly OutgoingMessage[]) => {
    const counts = new Map<string, number>();
    for (const message of received) counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
    expect(counts.size).to.equal(outgoing.length);
    expect([...counts.entries()].filter(([, count]) => count !== 1), 'delivered more than once').to.deep.equal([]);
    const byAggregate = new Map<string, string[]>();
    for (const message of received) {
      const key = message.type === 'user.registered' ? message.data.userId : '';
      byAggregate.set(key, [...(byAggregate.get(key) ?? []), message.id]);
    }
    for (const [aggregate, ids] of byAggregate) {
      const positions = await db.pool.anyFirst(sql.unsafe`SELECT id::text FROM outbox WHERE aggregate_id = ${aggregate} ORDER BY position`);
      expect(ids, aggregate).to.deep.equal(positions);
    }
  };

  const leaseHolder = () => db.pool.maybeOneFirst(sql.unsafe`
    SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);

  it('three relays on one outbox: one holds the lease and publishes everything, once, in order per aggregate', async () => {
    const received: KnownMessage[] = [];
    const { connection: consumerSide } = await connect();
    await consume(consumerSide, async (message) => { received.push(message); });
    const sent: Array<{ relay: string; id: string }> = [];
    const pools = [db.pool, await db.newPool(3), await db.newPool(3)];
    const relays = await Promise.all(pools.map(async (pool, index) => {
      const created = new OutboxRelay(pool, tagged(`r${index}`, (await connect()).publisher, sent), { batchSize: 50, intervalMs: 30, takeoverMs: 100, logger });
      closers.push(() => created.stop());
      created.start();
      return created;
    }));
    await eventually(() => relays.some((r) => r.isLeader), 5_000, 'a leader');
    let leaders = 0;
    const watch = setInterval(() => { leaders = Math.max(leaders, relays.filter((r) => r.isLeader).length); }, 5);
    const outgoing = messages(600, 12);
    // Every "instance" commits and kicks its own relay, as the hosts do.
    await Promise.all(pools.map(async (pool, index) => {
      const mine = outgoing.filter((_, i) => i % 3 === index);
      for (let i = 0; i < mine.length; i += 4) {
        await commit(pool, mine.slice(i, i + 4), 4);
        relays[index]!.kick();
      }
    }));
    await eventually(async () => (await unpublished()) === 0, 20_000, 'outbox drained');
    await eventually(() => received.length >= outgoing.length, 10_000, 'all consumed');
    await new Promise((resolve) => setTimeout(resolve, 300)); // time for a duplicate to show up, if any
    clearInterval(watch);
    expect(leaders).to.equal(1);
    expect(new Set(sent.map((s) => s.relay)).size, 'relays that published').to.equal(1);
    expect(sent).to.have.length(outgoing.length);
    await expectOncePerMessageInOrder(received, outgoing);
  });

  it('a standby takes over when the lease holder stops, and when its database session is killed', async () => {
    const received: KnownMessage[] = [];
    const { connection: consumerSide } = await connect();
    await consume(consumerSide, async (message) => { received.push(message); });
    const pools = [db.pool, await db.newPool(3), await db.newPool(3)];
    const relays = await Promise.all(pools.map(async (pool) => {
      const created = new OutboxRelay(pool, (await connect()).publisher, { batchSize: 20, intervalMs: 30, takeoverMs: 100, logger });
      closers.push(() => created.stop());
      created.start();
      return created;
    }));
    const outgoing = messages(90, 5);
    const leader = () => eventually(() => relays.find((r) => r.isLeader), 5_000, 'a leader');

    const first = await leader();
    await commit(db.pool, outgoing.slice(0, 30));
    await eventually(() => received.length >= 30, 10_000, 'first third consumed');
    await first.stop();
    const second = await leader();
    expect(second).to.not.equal(first);
    await commit(db.pool, outgoing.slice(30, 60));
    await eventually(() => received.length >= 60, 10_000, 'second third consumed');

    const pid = await leaseHolder();
    expect(pid).to.not.equal(null);
    await db.pool.query(sql.unsafe`SELECT pg_terminate_backend(${Number(pid)})`);
    await eventually(async () => { const now = await leaseHolder(); return now !== null && Number(now) !== Number(pid); }, 5_000, 'lease taken by another session');
    await commit(db.pool, outgoing.slice(60));
    await eventually(() => received.length >= 90, 10_000, 'last third consumed');
    await eventually(async () => (await unpublished()) === 0, 5_000, 'all marked published');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expectOncePerMessageInOrder(received, outgoing);
  });

  it('a lease holder that hangs loses the lease after leaseTimeoutMs, and a standby publishes what it held', async () => {
    await commit(db.pool, messages(10, 2));
    let release: () => void = () => undefined;
    const hanging: BatchPublisher = {
      publishBatch: (envelopes) => new Promise((resolve) => { release = () => resolve(envelopes.map(() => null)); }),
    };
    const stuck = new OutboxRelay(db.pool, hanging, { intervalMs: 30, takeoverMs: 100, leaseTimeoutMs: 400, logger });
    closers.push(async () => { release(); await stuck.stop(); });
    stuck.start();
    await eventually(() => stuck.isLeader, 5_000, 'the hanging relay leads');
    const sent: Array<{ relay: string; id: string }> = [];
    const successor = new OutboxRelay(await db.newPool(3), tagged('successor', (await connect()).publisher, sent), { intervalMs: 30, takeoverMs: 100, logger });
    closers.push(() => successor.stop());
    successor.start();
    await eventually(() => successor.isLeader, 5_000, 'the successor leads');
    await eventually(async () => (await unpublished()) === 0, 5_000, 'the successor published everything');
    expect(sent).to.have.length(10);
    release(); // the hung round resumes: its UPDATE runs on a session PostgreSQL has ended
    await eventually(() => !stuck.isLeader, 5_000, 'the hung relay notices it lost the lease');
    expect(successor.isLeader).to.equal(true);
  });

  it('a lease holder that cannot reach the broker hands the lease over, and a standby that can publishes', async () => {
    await commit(db.pool, messages(12, 3));
    const broken = new OutboxRelay(db.pool, (await connect(await unreachableAmqpUrl())).publisher, { intervalMs: 20, maxBackoffMs: 40, takeoverMs: 100, resignAfterFailures: 3, logger });
    closers.push(() => broken.stop());
    broken.start();
    await eventually(() => broken.isLeader, 5_000, 'the broken relay leads');
    const sent: Array<{ relay: string; id: string }> = [];
    const healthy = new OutboxRelay(await db.newPool(3), tagged('healthy', (await connect()).publisher, sent), { intervalMs: 20, takeoverMs: 100, logger });
    closers.push(() => healthy.stop());
    healthy.start();
    await eventually(async () => (await unpublished()) === 0, 10_000, 'published by the healthy relay');
    expect(healthy.isLeader).to.equal(true);
    expect(sent).to.have.length(12);
    expect(Number(await db.pool.oneFirst(sql.unsafe`SELECT max(attempts) FROM outbox`))).to.be.at.least(1);
  });

  it('applies a message delivered three times once: the inbox turns redeliveries into no-ops', async () => {
    const uow = new PostgresUnitOfWork(db.pool, (connection: CommonQueryMethods) => ({ inbox: new PostgresInbox(connection), connection }));
    let calls = 0;
    const { connection, publisher } = await connect();
    const queue = broker.queue('sink', [50]);
    await consume(connection, async (message) => {
      calls += 1;
      await uow.run(async ({ inbox, connection: tx }) => {
        if (!(await inbox.record(queue, message.id))) return;
        await tx.query(sql.unsafe`
          INSERT INTO counters (id, value) VALUES ('registrations', 1)
          ON CONFLICT (id) DO UPDATE SET value = counters.value + 1`);
      });
    }, 1);
    const [message] = messages(1, 1);
    await publisher.publish(message!.envelope);
    await publisher.publish(message!.envelope);
    await publisher.publish(message!.envelope);
    await eventually(() => calls === 3, 5_000, 'three deliveries');
    expect(await db.pool.oneFirst(sql.unsafe`SELECT value FROM counters WHERE id = 'registrations'`)).to.equal(1);
    expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM inbox`)).to.equal(1);
  });

  it('moves a few thousand messages outbox → broker → consumer (throughput, printed)', async () => {
    const total = 3_000;
    let received = 0;
    const { connection: consumerSide } = await connect();
    await consume(consumerSide, async () => { received += 1; }, 100);
    await commit(db.pool, messages(total, 200), 100);
    const { publisher } = await connect();
    const worker = relay(db.pool, publisher, 100);
    const started = Date.now();
    worker.start();
    await eventually(() => received >= total, 25_000, 'all consumed');
    const seconds = (Date.now() - started) / 1000;
    console.log(`      ${total} messages outbox → RabbitMQ → consumer in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} msg/s`);
    expect(received).to.equal(total);
  });
});
