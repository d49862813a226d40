import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startHostProcess } from '@conference/http-kit/testing';
import type { Channel } from 'amqplib';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { createTestBroker, eventually, requireRabbitMq, type TestBroker, nextMessageOfType, openProbe } from '@conference/adapters-rabbitmq/testing';
import { generateSigningKey } from '@conference/http-kit';
import { userMigrationSets } from './adapters/postgres/migrations.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

describe('@infra user-service main in the postgres profile with RabbitMQ (node dist/main.js)', function () {
  this.timeout(20_000);
  let db: TestDatabase;
  let broker: TestBroker;
  let channel: Channel;
  let probe: string;
  let child: ChildProcess | undefined;

  before(async function () {
    await requirePostgres(this);
    await requireRabbitMq(this);
    db = await createTestDatabase('user_main_amqp', await userMigrationSets());
    broker = createTestBroker('user-main');
    ({ channel, probe } = await openProbe(broker));
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await broker?.cleanup();
    await db?.close();
  });

  it('publishes what an HTTP write committed at once (kicked, not at the relay tick), lists the broker in /ready, exits 0 on SIGTERM', async () => {
    const service = await startHostProcess(MAIN, {
      PROFILE: 'postgres',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      JWT_PRIVATE_KEY: JSON.stringify(await generateSigningKey()),
      AMQP_URL: broker.url,
      AMQP_EXCHANGE: broker.exchange,
      // Far beyond the bound below: the message can only arrive in time because the write kicked the relay.
      OUTBOX_RELAY_INTERVAL_MS: '60s',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;
    const ready = await eventually(async () => {
      const res = await fetch(`${base}/ready`);
      const body = await res.json() as { checks: Record<string, { status: string }> };
      return res.status === 200 && body.checks['broker']?.status === 'up' ? body : null;
    }, 5000, '/ready with the broker up');
    expect(ready.checks).to.have.keys('database', 'broker');

    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'main-amqp-register' },
      body: JSON.stringify({ email: 'amqp@example.org', password: 'correct horse battery', name: 'Amqp Person' }),
    });
    expect(registered.status).to.equal(201);
    const { id } = await registered.json() as { id: string };
    const message = await nextMessageOfType(channel, probe, 'user.registered', 2000);
    expect(message).to.include({ source: 'user-service', correlationId: 'main-amqp-register' });
    expect(message.data).to.include({ userId: id, email: 'amqp@example.org' });

    service.child.kill('SIGTERM');
    expect(await service.exited, service.output()).to.equal(0);
  });
});
