import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Channel } from 'amqplib';
import { DEFAULT_RETRY_DELAYS_MS, queuesOf } from '@conference/adapters-rabbitmq';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { createTestBroker, eventually, requireRabbitMq, type TestBroker } from '@conference/adapters-rabbitmq/testing';
import { createTestTokens, type TestTokens, startHostProcess, serveJwks, type JwksServer } from '@conference/http-kit/testing';
import type { MessageEnvelope } from '@conference/kernel';
import { AUDIT_CONSUMER, EMAIL_CONSUMER } from '@conference/notifications';
import type { MailboxFile } from './adapters/mail/file-mailbox.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

describe('@infra notifier main (node dist/main.js) on PostgreSQL and RabbitMQ', function () {
  this.timeout(20_000);
  let db: TestDatabase;
  let broker: TestBroker;
  let channel: Channel;
  let tokens: TestTokens;
  let jwks: JwksServer;
  let mailbox: string;
  let child: ChildProcess | undefined;

  before(async function () {
    await requirePostgres(this);
    await requireRabbitMq(this);
    // An empty database: the notifier applies its migrations itself at start.
    db = await createTestDatabase('notifier_main', []);
    broker = createTestBroker('notifier-main');
    channel = await (await broker.admin()).createChannel();
    await channel.assertExchange(broker.exchange, 'topic', { durable: true });
    // Signed as the user service signs them: the notifier's default issuer and audience.
    tokens = await createTestTokens({ issuer: 'urn:conference:user-service', audience: 'urn:conference:api' });
    jwks = await serveJwks(tokens.signer);
    mailbox = await mkdtemp(join(tmpdir(), 'notifier-main-'));
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    jwks?.close();
    if (broker) {
      // The notifier's consumer queues (named with the run's suffix), then the exchange.
      const cleanup = await (await broker.admin()).createChannel();
      for (const consumer of [AUDIT_CONSUMER, EMAIL_CONSUMER]) {
        for (const queue of queuesOf({ queue: `${consumer}.${broker.suffix}`, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS })) await cleanup.deleteQueue(queue);
      }
      await cleanup.close();
      await broker.cleanup();
    }
    if (mailbox) await rm(mailbox, { recursive: true, force: true });
    await db?.close();
  });

  it('emails an enrollment.confirmed into MAILBOX_DIR, audits it for GET /api/audit (admins), lists database and broker in /ready, exits 0 on SIGTERM', async () => {
    const service = await startHostProcess(MAIN, {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      AMQP_URL: broker.url,
      AMQP_EXCHANGE: broker.exchange,
      AMQP_QUEUE_SUFFIX: broker.suffix,
      JWKS_URL: jwks.url,
      MAILBOX_DIR: mailbox,
      SHUTDOWN_TIMEOUT_MS: '6000',
    });
    child = service.child;
    const base = `http://127.0.0.1:${service.port}`;
    const ready = await eventually(async () => {
      const res = await fetch(`${base}/ready`);
      const body = await res.json() as { checks: Record<string, { status: string }> };
      return res.status === 200 ? body : null;
    }, 5000, '/ready answering 200');
    expect(ready.checks).to.have.keys('database', 'broker');
    // The consumers subscribe once the connection is up; a message published before its queue exists would be lost.
    // (A check of a queue not declared yet closes its channel: one channel per check.)
    const consumersOf = async (queue: string): Promise<number> => {
      const check = await (await broker.admin()).createChannel();
      check.on('error', () => undefined);
      try {
        return (await check.checkQueue(queue)).consumerCount;
      } finally {
        await check.close().catch(() => undefined);
      }
    };
    for (const consumer of [AUDIT_CONSUMER, EMAIL_CONSUMER]) await eventually(() => consumersOf(`${consumer}.${broker.suffix}`), 5000, `a consumer on ${consumer}`);

    const confirmed: MessageEnvelope = {
      id: randomUUID(),
      type: 'enrollment.confirmed',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'event-service',
      correlationId: `notifier-main-${broker.suffix}`,
      causationId: randomUUID(),
      data: { eventId: randomUUID(), eventTitle: 'TypeScript Summit', userId: randomUUID(), email: 'ada@example.org', name: 'Ada', status: 'enrolled', position: null, reason: null },
    };
    channel.publish(broker.exchange, confirmed.type, Buffer.from(JSON.stringify(confirmed)), {
      contentType: 'application/json', messageId: confirmed.id, type: confirmed.type, correlationId: confirmed.correlationId!, persistent: true,
    });

    const files = await eventually(async () => {
      const written = (await readdir(mailbox)).filter((name) => name.endsWith('.json'));
      return written.length > 0 ? written : null;
    }, 5000, 'an email in MAILBOX_DIR');
    expect(files).to.have.length(1);
    const email = JSON.parse(await readFile(join(mailbox, files[0]!), 'utf8')) as MailboxFile;
    expect(email).to.include({ messageId: confirmed.id, to: 'ada@example.org' });
    expect(email.text).to.contain('TypeScript Summit');

    const admin = { Authorization: await tokens.bearer({ role: 'admin' }) };
    const query = `${base}/api/audit?correlationId=${encodeURIComponent(confirmed.correlationId!)}`;
    const page = await eventually(async () => {
      const res = await fetch(query, { headers: admin });
      const body = await res.json() as { items: { messageId: string; type: string }[] };
      return res.status === 200 && body.items.length > 0 ? body : null;
    }, 5000, 'the audit entry');
    expect(page.items.map((item) => [item.messageId, item.type])).to.deep.equal([[confirmed.id, 'enrollment.confirmed']]);
    expect((await fetch(query, { headers: { Authorization: await tokens.bearer({ role: 'attendee' }) } })).status).to.equal(403);

    service.child.kill('SIGTERM');
    expect(await service.exited, service.output()).to.equal(0);
  });
});
