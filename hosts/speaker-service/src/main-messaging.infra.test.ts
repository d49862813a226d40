import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Channel } from 'amqplib';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { createTestBroker, eventually, requireRabbitMq, type TestBroker, nextMessageOfType, openProbe } from '@conference/adapters-rabbitmq/testing';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens, startHostProcess, serveJwks, type JwksServer } from '@conference/http-kit/testing';
import { speakerMigrationSets } from './adapters/postgres/migrations.js';
import { SAMPLE_SPEAKER, actors } from './http/speaker-test-kit.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

describe('@infra speaker-service main in the postgres profile with RabbitMQ (node dist/main.js)', function () {
  this.timeout(20_000);
  let db: TestDatabase;
  let broker: TestBroker;
  let channel: Channel;
  let probe: string;
  let tokens: TestTokens;
  let jwks: JwksServer;
  let child: ChildProcess | undefined;

  before(async function () {
    await requirePostgres(this);
    await requireRabbitMq(this);
    db = await createTestDatabase('speaker_main_amqp', await speakerMigrationSets());
    broker = createTestBroker('speaker-main');
    ({ channel, probe } = await openProbe(broker));
    tokens = await createTestTokens();
    jwks = await serveJwks(tokens.signer);
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    jwks?.close();
    await broker?.cleanup();
    await db?.close();
  });

  it('publishes what an HTTP write committed at once (kicked, not at the relay tick), lists the broker in /ready, exits 0 on SIGTERM', async () => {
    const service = await startHostProcess(MAIN, {
      PROFILE: 'postgres',
      PORT: '0',
      GRPC_PORT: '0',
      DATABASE_URL: db.url,
      JWKS_URL: jwks.url,
      JWT_ISSUER: TEST_ISSUER,
      JWT_AUDIENCE: TEST_AUDIENCE,
      AMQP_URL: broker.url,
      AMQP_EXCHANGE: broker.exchange,
      // Far beyond the bound below: the message can only arrive in time because the write kicked the relay.
      OUTBOX_RELAY_INTERVAL_MS: '60s',
      SHUTDOWN_DRAIN_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '6000',
    });
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;
    const ready = await eventually(async () => {
      const res = await fetch(`${base}/ready`);
      const body = await res.json() as { checks: Record<string, { status: string }> };
      return res.status === 200 && body.checks['broker']?.status === 'up' ? body : null;
    }, 5000, '/ready with the broker up');
    expect(ready.checks).to.have.keys('database', 'broker');

    const created = await fetch(`${base}/api/speakers`, {
      method: 'POST',
      headers: { Authorization: await tokens.bearer(actors.organizer), 'Content-Type': 'application/json', 'X-Request-Id': 'main-amqp-speaker' },
      body: JSON.stringify(SAMPLE_SPEAKER),
    });
    expect(created.status).to.equal(201);
    const { id: speakerId } = await created.json() as { id: string };
    const message = await nextMessageOfType(channel, probe, 'speaker.created', 2000);
    expect(message).to.include({ source: 'speaker-service', correlationId: 'main-amqp-speaker' });
    expect(message.data).to.include({ speakerId });

    service.child.kill('SIGTERM');
    expect(await service.exited, service.output()).to.equal(0);
  });
});
