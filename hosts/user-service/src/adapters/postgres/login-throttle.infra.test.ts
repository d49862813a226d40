import { expect } from 'chai';
import { sql } from 'slonik';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { loginThrottleContract } from '@conference/user/contracts';
import { userMigrationSets } from './migrations.js';
import { PostgresLoginThrottle } from './postgres-login-throttle.js';

describe('@infra PostgresLoginThrottle', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('user_throttle', await userMigrationSets());
  });
  after(async () => { await db?.close(); });

  // The sibling is a second pool: another instance of the service on the same database.
  loginThrottleContract('PostgreSQL', async () => {
    await db.truncate();
    return { throttle: new PostgresLoginThrottle(db.pool), sibling: new PostgresLoginThrottle(await db.newPool(2)) };
  });

  it('purge removes rows whose window started before the cut-off, and only those', async () => {
    await db.truncate();
    const throttle = new PostgresLoginThrottle(db.pool);
    const limit = { maxFailures: 3, windowSeconds: 60 };
    await throttle.recordFailure('account:old@example.org', limit, new Date('2026-01-01T00:00:00Z'));
    await throttle.recordFailure('account:new@example.org', limit, new Date('2026-01-03T00:00:00Z'));
    expect(await throttle.purge(new Date('2026-01-02T00:00:00Z'))).to.equal(1);
    expect(await db.pool.anyFirst(sql.unsafe`SELECT key FROM login_attempts`)).to.deep.equal(['account:new@example.org']);
  });

  it('stores a key with a NUL character instead of failing the statement', async () => {
    await db.truncate();
    const throttle = new PostgresLoginThrottle(db.pool);
    const limit = { maxFailures: 1, windowSeconds: 60 };
    await throttle.recordFailure('account:a\u0000b@example.org', limit, new Date('2026-01-01T00:00:00Z'));
    expect((await throttle.check('account:a\u0000b@example.org', limit, new Date('2026-01-01T00:00:01Z'))).allowed).to.equal(false);
  });
});
