import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { TEST_AUDIENCE, TEST_ISSUER, createTestTokens, requestTo } from '@conference/http-kit/testing';
import { JwtVerifier } from '@conference/http-kit';
import { InMemorySpeakerDirectory as InMemoryDirectory } from '@conference/session/testing';
import { sessionMigrationSets } from './adapters/postgres/migrations.js';
import { createApp } from './app.js';
import { loadSessionServiceConfig } from './config.js';
import { createContainer } from './container.js';
import { AccessTokenVerifier, DatabasePool, SpeakerDirectory } from './tokens.js';
import { sessionBody } from './http/session-test-kit.js';
import { sql } from 'slonik';

describe('@infra session-service in the postgres profile (container + HTTP on a real database)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('session_service_app', await sessionMigrationSets());
  });
  after(async () => {
    await db?.close();
  });

  it('writes a session through POST and reads it back through GET, from PostgreSQL; /ready checks the database', async () => {
    const tokens = await createTestTokens();
    const speakers = new InMemoryDirectory();
    const speaker = { id: '3f2b9c1e-8a7d-4e6f-9b0a-1c2d3e4f5a6b', name: 'Ada', headline: 'Engineer', company: 'Engines' };
    speakers.add(speaker);
    const config = loadSessionServiceConfig({
      PROFILE: 'postgres',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      JWKS_URL: 'http://127.0.0.1:9/api/auth/jwks.json',
      SPEAKER_GRPC_TARGET: '127.0.0.1:9',
      AMQP_URL: 'amqp://127.0.0.1:9',
      JWT_ISSUER: TEST_ISSUER,
      JWT_AUDIENCE: TEST_AUDIENCE,
    });
    // The test's pool and keys, and speakers in hand: the speaker service is another process's job.
    const overrides = new ContainerModule(({ rebind }) => {
      rebind<DatabasePool>(DatabasePool).toConstantValue(db.pool);
      rebind<AccessTokenVerifier>(AccessTokenVerifier).toConstantValue(JwtVerifier.local(tokens.signer.jwks(), { issuer: TEST_ISSUER, audience: TEST_AUDIENCE }));
      rebind(SpeakerDirectory).toConstantValue(speakers);
    });
    const container = await createContainer(config, overrides);
    const { app } = await createApp(container, config);

    const created = await requestTo(app).post('/api/sessions').set('Authorization', await tokens.bearer({ role: 'organizer' }))
      .set('X-Request-Id', 'infra-create').send(sessionBody({ speakerIds: [speaker.id] })).expect(201);
    const read = await requestTo(app).get(`/api/sessions/${created.body.id}`).expect(200);
    expect(read.body).to.deep.include({ id: created.body.id, title: created.body.title, version: 1, speakerIds: [speaker.id] });
    expect(read.body.speakers).to.deep.equal([speaker]);
    const correlations = await db.pool.anyFirst(sql.unsafe`SELECT envelope->>'correlationId' FROM outbox WHERE type = 'session.created'`);
    expect(correlations).to.deep.equal(['infra-create']);

    const ready = await requestTo(app).get('/ready');
    expect(ready.body.checks.database.status).to.equal('up');
    // The speaker service is not running at 127.0.0.1:9: /ready says so and takes the instance out of rotation.
    expect(ready.status).to.equal(503);
    expect(ready.body.checks['speaker-service'].status).to.equal('down');
    await container.unbindAllAsync();
  });
});
