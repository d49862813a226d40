import { expect } from 'chai';
import { sql } from 'slonik';
import { createLogger, generateSigningKey } from '@conference/http-kit';
import { requestTo } from '@conference/http-kit/testing';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { userMigrationSets } from './adapters/postgres/migrations.js';
import { createApp } from './app.js';
import { loadUserServiceConfig } from './config.js';
import { createContainer } from './container.js';

describe('@infra user service in the postgres profile', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('user_http', await userMigrationSets());
  });
  after(async () => { await db?.close(); });

  it('serves a write and a read through HTTP from PostgreSQL, with the throttle shared in the database', async () => {
    const config = loadUserServiceConfig({
      PROFILE: 'postgres',
      DATABASE_URL: db.url,
      JWT_PRIVATE_KEY: JSON.stringify(await generateSigningKey()),
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '2',
    });
    const logger = createLogger('user-service', { level: 'silent' });
    const http = createApp(await createContainer(config, { pool: db.pool }), config, { logger, defaultMetrics: false });
    const request = () => requestTo(http.app);

    const created = await request().post('/api/auth/register').send({ email: 'pg@example.org', password: 'correct horse battery', name: 'Postgres Person' }).expect(201);
    const login = await request().post('/api/auth/login').send({ email: 'PG@example.org', password: 'correct horse battery' }).expect(200);
    const me = await request().get('/api/users/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).to.deep.equal(created.body);
    expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM users`)).to.equal(1);
    expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM user_sessions`)).to.equal(1);

    // A second instance on its own pool sees the same failures: the limit holds across instances.
    const second = createApp(await createContainer(config, { pool: await db.newPool(2) }), config, { logger, defaultMetrics: false });
    await request().post('/api/auth/login').send({ email: 'pg@example.org', password: 'wrong password 1' }).expect(401);
    await requestTo(second.app).post('/api/auth/login').send({ email: 'pg@example.org', password: 'wrong password 2' }).expect(401);
    const refused = await request().post('/api/auth/login').send({ email: 'pg@example.org', password: 'correct horse battery' }).expect(429);
    expect(Number(refused.headers['retry-after'])).to.be.greaterThan(0);

    const ready = await request().get('/ready').expect(200);
    expect(ready.body.checks.database.status).to.equal('up');
  });
});
