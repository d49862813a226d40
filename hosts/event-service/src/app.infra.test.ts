import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Container } from 'inversify';
import { sql } from 'slonik';
import { SESSION_SERVICE, toTimestamp, type ServiceRegistration } from '@conference/adapters-grpc';
import { startTestGrpcServer, type TestGrpcServer } from '@conference/adapters-grpc/testing';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import type { HttpApp } from '@conference/http-kit';
import { createTestTokens, requestTo, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from '@conference/http-kit/testing';
import { DomainError, err, ok } from '@conference/kernel';
import { eventMigrationSets } from './adapters/postgres/migrations.js';
import { createApp } from './app.js';
import { loadEventServiceConfig } from './config.js';
import { createContainer } from './container.js';
import { SAMPLE_EVENT } from './http/route-test-kit.js';
import { ContainerResources } from './tokens.js';

const SESSION_ID = randomUUID();

/** SessionService as conference.session.v1 defines it, knowing one stand-alone session. */
const sessionService: ServiceRegistration = {
  name: SESSION_SERVICE,
  handlers: {
    ValidateSession: async ({ sessionId }: { sessionId: string }) =>
      sessionId !== SESSION_ID
        ? err(DomainError.notFound('SESSION.NOT_FOUND', 'no such session'))
        : ok({ session: { id: SESSION_ID, title: 'Keynote', startsAt: toTimestamp(new Date(Date.now() + 86_400_000)), endsAt: toTimestamp(new Date(Date.now() + 90_000_000)), room: 'Hall', speakerIds: [], version: 1 } }),
    GetSession: async () => err(DomainError.notFound('SESSION.NOT_FOUND', 'not used here')),
  },
};

describe('@infra event service in the postgres profile (PostgreSQL, gRPC peer, remote JWKS)', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let peer: TestGrpcServer;
  let jwks: Server;
  let tokens: TestTokens;
  let container: Container;
  let http: HttpApp;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('event_http', await eventMigrationSets());
    peer = await startTestGrpcServer([sessionService]);
    tokens = await createTestTokens();
    jwks = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(tokens.signer.jwks())));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const config = loadEventServiceConfig({
      PROFILE: 'postgres',
      DATABASE_URL: db.url,
      JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/api/auth/jwks.json`,
      JWT_ISSUER: TEST_ISSUER,
      JWT_AUDIENCE: TEST_AUDIENCE,
      SESSION_GRPC_TARGET: peer.target,
      AMQP_URL: 'amqp://127.0.0.1:5672',
      LOG_LEVEL: 'silent',
    });
    container = createContainer(config, { pool: db.pool });
    http = createApp(container, config, { defaultMetrics: false });
  });

  after(async () => {
    await container?.get<ContainerResources>(ContainerResources).close();
    await peer?.stop();
    jwks?.close();
    await db?.close();
  });

  it('serves a write and a read through HTTP, stored in PostgreSQL; links a session checked over gRPC', async () => {
    const auth = await tokens.bearer({ role: 'organizer' });
    const created = await requestTo(http.app).post('/api/events').set('Authorization', auth).send(SAMPLE_EVENT).expect(201);
    const id = created.body.id as string;
    await requestTo(http.app).post(`/api/events/${id}/publish`).set('Authorization', auth).expect(200);
    const read = await requestTo(http.app).get(`/api/events/${id}`).expect(200);
    expect(read.body).to.include({ id, status: 'published', seatsLeft: SAMPLE_EVENT.capacity });
    expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM events WHERE id = ${id}`)).to.equal(1);

    const linked = await requestTo(http.app).post(`/api/events/${id}/sessions`).set('Authorization', auth).send({ sessionId: SESSION_ID }).expect(201);
    expect(linked.body).to.include({ sessionId: SESSION_ID, title: 'Keynote' });
    const unknown = await requestTo(http.app).post(`/api/events/${id}/sessions`).set('Authorization', auth).send({ sessionId: randomUUID() }).expect(422);
    expect(unknown.body.code).to.equal('EVENT.SESSION_NOT_FOUND');
  });

  it('/ready checks the database and the session service\'s grpc.health.v1; /health never does', async () => {
    const ready = await requestTo(http.app).get('/ready').expect(200);
    expect(ready.body.checks).to.have.keys('database', 'session-service');
    await peer.stop();
    try {
      const down = await requestTo(http.app).get('/ready').expect(503);
      expect(down.body.checks['session-service'].status).to.equal('down');
      expect(down.body.checks['database'].status).to.equal('up');
      await requestTo(http.app).get('/health').expect(200);
      const auth = await tokens.bearer({ role: 'organizer' });
      const event = await requestTo(http.app).post('/api/events').set('Authorization', auth).send(SAMPLE_EVENT).expect(201);
      const unavailable = await requestTo(http.app).post(`/api/events/${event.body.id}/sessions`).set('Authorization', auth).send({ sessionId: SESSION_ID }).expect(503);
      expect(unavailable.body.code).to.equal('EVENT.SESSION_DIRECTORY_UNAVAILABLE');
    } finally {
      await peer.start();
    }
  });
});

