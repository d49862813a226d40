import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Channel } from 'amqplib';
import { DEFAULT_RETRY_DELAYS_MS, queuesOf } from '@conference/adapters-rabbitmq';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { createTestBroker, eventually, requireRabbitMq, unusedPort, type TestBroker, nextMessageOfType, openProbe } from '@conference/adapters-rabbitmq/testing';
import { ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER } from '@conference/event';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens, startHostProcess, serveJwks, type JwksServer } from '@conference/http-kit/testing';
import type { MessageEnvelope } from '@conference/kernel';
import { eventMigrationSets } from './adapters/postgres/migrations.js';
import { SAMPLE_EVENT } from './http/route-test-kit.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

describe('@infra event-service main in the postgres profile with RabbitMQ (node dist/main.js)', function () {
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
    db = await createTestDatabase('event_main_amqp', await eventMigrationSets());
    broker = createTestBroker('event-main');
    ({ channel, probe } = await openProbe(broker));
    tokens = await createTestTokens();
    jwks = await serveJwks(tokens.signer);
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    jwks?.close();
    if (broker) {
      // The service's own consumer queues (named with the run's suffix), then the probe and the exchange.
      const cleanup = await (await broker.admin()).createChannel();
      for (const consumer of [ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER]) {
        for (const queue of queuesOf({ queue: `${consumer}.${broker.suffix}`, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS })) await cleanup.deleteQueue(queue);
      }
      await cleanup.close();
      await broker.cleanup();
    }
    await db?.close();
  });

  it('publishes what an HTTP write committed at once, consumes user.enrolled keeping its correlation, lists the broker in /ready, exits 0 on SIGTERM', async () => {
    const service = await startHostProcess(MAIN, {
      PROFILE: 'postgres',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      JWKS_URL: jwks.url,
      JWT_ISSUER: TEST_ISSUER,
      JWT_AUDIENCE: TEST_AUDIENCE,
      // Nothing listens there: /ready reports the session service down, writes that do not need it work.
      SESSION_GRPC_TARGET: `127.0.0.1:${await unusedPort()}`,
      AMQP_URL: broker.url,
      AMQP_EXCHANGE: broker.exchange,
      AMQP_QUEUE_SUFFIX: broker.suffix,
      // Far beyond the bounds below: messages can only arrive in time because the writes kicked the relay.
      OUTBOX_RELAY_INTERVAL_MS: '60s',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '6000',
    });
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;
    const ready = await eventually(async () => {
      const body = await (await fetch(`${base}/ready`)).json() as { checks: Record<string, { status: string }> };
      return body.checks['broker']?.status === 'up' ? body : null;
    }, 5000, '/ready with the broker up');
    expect(ready.checks).to.have.keys('database', 'session-service', 'broker');

    const organizer = { Authorization: await tokens.bearer({ role: 'organizer' }), 'Content-Type': 'application/json' };
    const created = await fetch(`${base}/api/events`, { method: 'POST', headers: organizer, body: JSON.stringify(SAMPLE_EVENT) });
    expect(created.status).to.equal(201);
    const { id: eventId } = await created.json() as { id: string };
    const published = await fetch(`${base}/api/events/${eventId}/publish`, { method: 'POST', headers: { ...organizer, 'X-Request-Id': 'main-amqp-publish' } });
    expect(published.status).to.equal(200);
    const announced = await nextMessageOfType(channel, probe, 'event.published', 2000);
    expect(announced).to.include({ source: 'event-service', correlationId: 'main-amqp-publish' });
    expect(announced.data).to.include({ eventId });

    // The consumer side: what the handler publishes carries the incoming chain's correlation.
    const enrolled: MessageEnvelope = {
      id: randomUUID(),
      type: 'user.enrolled',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'user-service',
      correlationId: 'main-amqp-chain',
      causationId: null,
      data: { userId: randomUUID(), eventId, email: 'ada@example.org', name: 'Ada', requestedAt: new Date().toISOString() },
    };
    channel.publish(broker.exchange, enrolled.type, Buffer.from(JSON.stringify(enrolled)), { contentType: 'application/json', messageId: enrolled.id, type: enrolled.type, correlationId: 'main-amqp-chain' });
    const confirmed = await nextMessageOfType(channel, probe, 'enrollment.confirmed', 3000);
    expect(confirmed).to.include({ correlationId: 'main-amqp-chain', causationId: enrolled.id });
    expect(confirmed.data).to.include({ eventId, status: 'enrolled' });

    service.child.kill('SIGTERM');
    expect(await service.exited, service.output()).to.equal(0);
  });
});
