import { expect } from 'chai';
import { sql } from 'slonik';
import { pendingOutbox } from '@conference/adapters-postgres';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { createTestTokens, requestTo, TEST_AUDIENCE, TEST_ISSUER } from '@conference/http-kit/testing';
import { speakerMigrationSets } from '../adapters/postgres/migrations.js';
import { createApp } from '../app.js';
import { loadSpeakerConfig } from '../config.js';
import { createContainer } from '../container.js';
import { actors } from './speaker-test-kit.js';

describe('@infra speaker-service HTTP in the postgres profile', function () {
  let db: TestDatabase;
  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('speaker_http', await speakerMigrationSets());
  });
  after(async () => {
    await db?.close();
  });

  it('serves a write and a read through the container\'s PostgreSQL adapters, and is ready with its database', async () => {
    const tokens = await createTestTokens();
    const config = loadSpeakerConfig({
      PROFILE: 'postgres', DATABASE_URL: db.url, JWKS_URL: 'http://127.0.0.1:9/never-fetched.json',
      JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE, LOG_LEVEL: 'silent',
    });
    const http = createApp(createContainer(config, { pool: db.pool, verifier: tokens.verifier }), config, { defaultMetrics: false });
    const app = requestTo(http.app);

    const created = await app.post('/api/speakers').set('Authorization', await tokens.bearer(actors.organizer)).set('X-Request-Id', 'infra-1')
      .send({ name: 'Ada', links: [{ label: 'Site', url: 'https://ada.example' }] }).expect(201);
    const read = await app.get(created.headers['location']!).expect(200);
    expect(read.body).to.deep.equal(created.body);
    expect(read.headers['etag']).to.equal('"1"');
    expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM speakers`)).to.equal(1);
    const outbox = await pendingOutbox(db.pool);
    expect(outbox.map((m) => [m.envelope.type, m.envelope.correlationId])).to.deep.equal([['speaker.created', 'infra-1']]);

    const ready = await app.get('/ready').expect(200);
    expect(ready.body.checks.database.status).to.equal('up');
  });
});
