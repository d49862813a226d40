import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Channel } from 'amqplib';
import { sql } from 'slonik';
import { SPEAKER_SERVICE } from '@conference/adapters-grpc';
import { startTestGrpcServer, type TestGrpcServer } from '@conference/adapters-grpc/testing';
import { DEFAULT_RETRY_DELAYS_MS, queuesOf } from '@conference/adapters-rabbitmq';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { createTestBroker, eventually, requireRabbitMq, unusedPort, type TestBroker, nextMessageOfType, openProbe } from '@conference/adapters-rabbitmq/testing';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens, startHostProcess, serveJwks, type JwksServer } from '@conference/http-kit/testing';
import { ok } from '@conference/kernel';
import { SPEAKER_DELETED_CONSUMER, type SpeakerSummary } from '@conference/session';
import { sessionMigrationSets } from './adapters/postgres/migrations.js';
import { sessionBody } from './http/session-test-kit.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** A SpeakerService that answers from a map the test changes, counting BatchGetSpeakers calls. */
function fakeSpeakerService() {
  const speakers = new Map<string, SpeakerSummary>();
  const calls: string[][] = [];
  const registration = {
    name: SPEAKER_SERVICE,
    handlers: {
      BatchGetSpeakers: async ({ speakerIds }: { speakerIds: string[] }) => {
        calls.push([...speakerIds]);
        const ids = [...new Set(speakerIds.map((id) => id.toLowerCase()))];
        return ok({ speakers: ids.flatMap((id) => speakers.get(id) ?? []), missingIds: ids.filter((id) => !speakers.has(id)) });
      },
      GetSpeaker: async () => ok({}),
    },
  };
  return { speakers, calls, registration };
}

describe('@infra session-service main in the postgres profile with RabbitMQ (node dist/main.js)', function () {
  this.timeout(20_000);
  let db: TestDatabase;
  let broker: TestBroker;
  let channel: Channel;
  let probe: string;
  let tokens: TestTokens;
  let jwks: JwksServer;
  let child: ChildProcess | undefined;
  let grpc: TestGrpcServer | undefined;

  before(async function () {
    await requirePostgres(this);
    await requireRabbitMq(this);
    db = await createTestDatabase('session_main_amqp', await sessionMigrationSets());
    broker = createTestBroker('session-main');
    ({ channel, probe } = await openProbe(broker));
    tokens = await createTestTokens();
    jwks = await serveJwks(tokens.signer);
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await grpc?.stop();
    jwks?.close();
    if (broker) {
      // The service's own consumer queues (named with the run's suffix), then the probe and the exchange.
      const cleanup = await (await broker.admin()).createChannel();
      for (const queue of queuesOf({ queue: `${SPEAKER_DELETED_CONSUMER}.${broker.suffix}`, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS })) await cleanup.deleteQueue(queue);
      await cleanup.close();
      await broker.cleanup();
    }
    await db?.close();
  });

  /** The service as a process on this test's database, broker and keys; `env` adds or overrides. */
  const startSession = (env: Record<string, string>) => startHostProcess(MAIN, {
    PROFILE: 'postgres',
    PORT: '0',
    GRPC_PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    JWKS_URL: jwks.url,
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    AMQP_URL: broker.url,
    AMQP_EXCHANGE: broker.exchange,
    AMQP_QUEUE_SUFFIX: broker.suffix,
    SHUTDOWN_DRAIN_DELAY_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '6000',
    ...env,
  });

  it('publishes what an HTTP write committed at once, consumes speaker.deleted, lists the broker in /ready, exits 0 on SIGTERM', async () => {
    const service = await startSession({
      // Nothing listens there: /ready reports the speaker service down; a session without speakers does not need it.
      SPEAKER_GRPC_TARGET: `127.0.0.1:${await unusedPort()}`,
      // Far beyond the bound below: the message can only arrive in time because the write kicked the relay.
      OUTBOX_RELAY_INTERVAL_MS: '60s',
    });
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;
    const ready = await eventually(async () => {
      const body = await (await fetch(`${base}/ready`)).json() as { checks: Record<string, { status: string }> };
      return body.checks['broker']?.status === 'up' ? body : null;
    }, 5000, '/ready with the broker up');
    expect(ready.checks).to.have.keys('database', 'speaker-service', 'broker');

    const created = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { Authorization: await tokens.bearer({ role: 'organizer' }), 'Content-Type': 'application/json', 'X-Request-Id': 'main-amqp-session' },
      body: JSON.stringify(sessionBody()),
    });
    expect(created.status).to.equal(201);
    const { id: sessionId } = await created.json() as { id: string };
    const message = await nextMessageOfType(channel, probe, 'session.created', 2000);
    expect(message).to.include({ source: 'session-service', correlationId: 'main-amqp-session' });
    expect(message.data).to.include({ sessionId });

    // The consumer listens on its queue of this run: the message is recorded in the inbox.
    const deleted = { id: randomUUID(), type: 'speaker.deleted', version: 1, occurredAt: new Date().toISOString(), source: 'speaker-service', correlationId: 'main-amqp-chain', causationId: null, data: { speakerId: randomUUID() } };
    channel.publish(broker.exchange, deleted.type, Buffer.from(JSON.stringify(deleted)), { contentType: 'application/json', messageId: deleted.id, type: deleted.type });
    await eventually(() => db.pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM inbox WHERE message_id = ${deleted.id}`), 3000, 'speaker.deleted in the inbox');

    service.child.kill('SIGTERM');
    expect(await service.exited, service.output()).to.equal(0);
  });

  it('serves repeated reads of speaker summaries from the cache, shows a change or a deletion once its message arrives, and checks writes uncached', async function () {
    this.timeout(30_000);
    const fake = fakeSpeakerService();
    const ada: SpeakerSummary = { id: randomUUID(), name: 'Ada Lovelace', headline: 'Analyst', company: 'Engines Ltd' };
    const grace: SpeakerSummary = { id: randomUUID(), name: 'Grace Hopper', headline: 'Admiral', company: 'US Navy' };
    fake.speakers.set(ada.id, ada);
    fake.speakers.set(grace.id, grace);
    grpc = await startTestGrpcServer([fake.registration]);

    const service = await startSession({ SPEAKER_GRPC_TARGET: grpc.target });
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;
    await eventually(async () => {
      const body = await (await fetch(`${base}/ready`)).json() as { checks: Record<string, { status: string }> };
      return body.checks['broker']?.status === 'up';
    }, 5000, '/ready with the broker up');

    const create = async () => fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { Authorization: await tokens.bearer({ role: 'organizer' }), 'Content-Type': 'application/json' },
      body: JSON.stringify(sessionBody({ speakerIds: [ada.id, grace.id] })),
    });
    const created = await create();
    expect(created.status).to.equal(201);
    const { id } = await created.json() as { id: string };
    const names = async () => ((await (await fetch(`${base}/api/sessions/${id}`)).json()) as { speakers: SpeakerSummary[] | null }).speakers?.map((s) => s.name);

    // Once the broadcast subscription is up, a read after a read does not reach the speaker service.
    await eventually(async () => {
      await names();
      const before = fake.calls.length;
      expect(await names()).to.deep.equal(['Ada Lovelace', 'Grace Hopper']);
      return fake.calls.length === before;
    }, 5000, 'a second read served from the cache');
    const cachedAt = fake.calls.length;
    for (let i = 0; i < 5; i += 1) await names();
    expect(fake.calls.length).to.equal(cachedAt);

    // A write checks its speakers with the speaker service every time, cache or not.
    expect((await create()).status).to.equal(201);
    expect(fake.calls.length).to.equal(cachedAt + 1);

    const publish = (type: 'speaker.updated' | 'speaker.deleted', data: Record<string, unknown>) => {
      const message = { id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), source: 'speaker-service', correlationId: null, causationId: null, data };
      channel.publish(broker.exchange, type, Buffer.from(JSON.stringify(message)), { contentType: 'application/json', messageId: message.id, type });
    };

    fake.speakers.set(ada.id, { ...ada, name: 'Ada King' });
    expect(await names(), 'not told yet: still the cached name').to.deep.equal(['Ada Lovelace', 'Grace Hopper']);
    publish('speaker.updated', { speakerId: ada.id, name: 'Ada King', headline: ada.headline, company: ada.company, userId: null, version: 2 });
    await eventually(async () => JSON.stringify(await names()) === JSON.stringify(['Ada King', 'Grace Hopper']), 5000, 'the new name after speaker.updated');

    fake.speakers.delete(grace.id);
    publish('speaker.deleted', { speakerId: grace.id });
    await eventually(async () => JSON.stringify(await names()) === JSON.stringify(['Ada King']), 5000, 'the deleted speaker left out after speaker.deleted');

    service.child.kill('SIGTERM');
    expect(await service.exited, service.output()).to.equal(0);
  });
});
