import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql, IntegrityConstraintViolationError } from 'slonik';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { MAX_ROTATED_TOKEN_HASHES, openLoginSession, rotateRefreshToken, type User } from '@conference/user';
import { userMigrationSets } from './migrations.js';
import { createPostgresUserUnitOfWork } from './unit-of-work.js';

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The name of the constraint the statement violated, or a failure when it did not violate one. */
async function violated(statement: Promise<unknown>): Promise<string | undefined> {
  try {
    await statement;
  } catch (error) {
    if (error instanceof IntegrityConstraintViolationError) return error.constraint ?? undefined;
    throw error;
  }
  throw new Error('expected a constraint violation, and the statement succeeded');
}

describe('@infra user service schema on PostgreSQL', function () {
  let db: TestDatabase;
  let owner: User;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('user_schema', await userMigrationSets());
  });
  after(async () => { await db?.close(); });
  beforeEach(async () => {
    await db.truncate();
    const now = new Date('2026-03-02T09:00:00.000Z');
    owner = { id: randomUUID(), email: 'Owner@Example.org', name: 'Owner', passwordHash: 'hash', role: 'attendee', createdAt: now, updatedAt: now, version: 1 };
    await createPostgresUserUnitOfWork(db.pool).run(({ users }) => users.insert(owner));
  });

  const insertUser = (columns: Partial<Record<'email' | 'email_key' | 'name' | 'password_hash' | 'role', string>> & { version?: number }) =>
    db.pool.query(sql.unsafe`
      INSERT INTO users (id, email, email_key, name, password_hash, role, created_at, updated_at, version)
      VALUES (${randomUUID()}, ${columns.email ?? 'x@example.org'}, ${columns.email_key ?? columns.email?.toLowerCase() ?? 'x@example.org'},
              ${columns.name ?? 'X'}, ${columns.password_hash ?? 'hash'}, ${columns.role ?? 'attendee'}, now(), now(), ${columns.version ?? 1})`);

  const insertSession = (columns: { refresh?: string; rotated?: string[]; lastUsedAt?: string; expiresAt?: string; userAgent?: string | null; ip?: string | null }) =>
    db.pool.query(sql.unsafe`
      INSERT INTO user_sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip, refresh_token_hash, rotated_token_hashes, version)
      VALUES (${randomUUID()}, ${owner.id}, '2026-03-02T09:00:00Z', ${columns.lastUsedAt ?? '2026-03-02T09:00:00Z'}::timestamptz,
              ${columns.expiresAt ?? '2026-04-01T09:00:00Z'}::timestamptz, ${columns.userAgent ?? null}, ${columns.ip ?? null},
              ${columns.refresh ?? hashOf(randomUUID())}, ${sql.array(columns.rotated ?? [], 'text')}, 1)`);

  describe('users', () => {
    it('refuses a role outside attendee, organizer and admin', async () => {
      expect(await violated(insertUser({ role: 'superuser' }))).to.equal('users_role_check');
    });

    it('refuses an empty or blank name, an empty password hash and a version below 1', async () => {
      expect(await violated(insertUser({ name: '   ' }))).to.equal('users_name_check');
      expect(await violated(insertUser({ name: 'x'.repeat(201) }))).to.equal('users_name_check');
      expect(await violated(insertUser({ password_hash: '' }))).to.equal('users_password_hash_check');
      expect(await violated(insertUser({ version: 0 }))).to.equal('users_version_check');
    });

    it('refuses an email key that is not the lower-cased address', async () => {
      expect(await violated(insertUser({ email: 'Ada@Example.org', email_key: 'Ada@Example.org' }))).to.equal('users_email_key_check');
    });

    it('refuses a second address with the same key, whatever the case', async () => {
      expect(await violated(insertUser({ email: 'OWNER@example.ORG' }))).to.equal('users_email_key_unique');
    });

    it('deleting an account deletes its login sessions and their token hashes', async () => {
      await insertSession({ rotated: [hashOf('a'), hashOf('b')] });
      await db.pool.query(sql.unsafe`INSERT INTO user_session_token_hashes (token_hash, session_id) SELECT refresh_token_hash, id FROM user_sessions`);
      await db.pool.query(sql.unsafe`DELETE FROM users WHERE id = ${owner.id}`);
      expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM user_sessions`)).to.equal(0);
      expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM user_session_token_hashes`)).to.equal(0);
    });
  });

  describe('user_sessions', () => {
    it('refuses more than 100 remembered hashes, a null among them, and a current hash that is also rotated out', async () => {
      const many = Array.from({ length: MAX_ROTATED_TOKEN_HASHES + 1 }, (_, i) => hashOf(String(i)));
      expect(await violated(insertSession({ rotated: many }))).to.equal('user_sessions_rotated_token_hashes_check');
      expect(await violated(insertSession({ refresh: hashOf('same'), rotated: [hashOf('other'), hashOf('same')] }))).to.equal('user_sessions_rotated_token_hashes_check');
      const withNull = db.pool.query(sql.unsafe`
        INSERT INTO user_sessions (id, user_id, created_at, last_used_at, expires_at, refresh_token_hash, rotated_token_hashes, version)
        VALUES (${randomUUID()}, ${owner.id}, now(), now(), now() + interval '1 day', 'h', ARRAY[NULL]::text[], 1)`);
      expect(await violated(withNull)).to.equal('user_sessions_rotated_token_hashes_check');
    });

    it('refuses an expiry at or before the last use, and empty labels', async () => {
      expect(await violated(insertSession({ lastUsedAt: '2026-03-02T10:00:00Z', expiresAt: '2026-03-02T10:00:00Z' }))).to.equal('user_sessions_expiry_check');
      expect(await violated(insertSession({ userAgent: '' }))).to.equal('user_sessions_user_agent_check');
      expect(await violated(insertSession({ ip: '' }))).to.equal('user_sessions_ip_check');
      expect(await violated(insertSession({ ip: 'x'.repeat(65) }))).to.equal('user_sessions_ip_check');
    });

    it('refuses a session for an account that does not exist', async () => {
      const orphan = db.pool.query(sql.unsafe`
        INSERT INTO user_sessions (id, user_id, created_at, last_used_at, expires_at, refresh_token_hash, version)
        VALUES (${randomUUID()}, ${randomUUID()}, now(), now(), now() + interval '1 day', 'h', 1)`);
      expect(await violated(orphan)).to.equal('user_sessions_user_id_fkey');
    });
  });

  describe('the domain\'s rotation rule through the adapter', () => {
    it('after 105 refreshes the session knows its current hash and the last 100 rotated out, nothing older', async () => {
      const uow = createPostgresUserUnitOfWork(db.pool);
      const start = new Date('2026-03-02T09:00:00.000Z');
      let session = openLoginSession({ id: randomUUID(), userId: owner.id, refreshTokenHash: hashOf('t0'), now: start, ttlMs: 3_600_000 });
      await uow.run(({ loginSessions }) => loginSessions.insert(session));
      const rotations = MAX_ROTATED_TOKEN_HASHES + 5;
      for (let i = 1; i <= rotations; i++) {
        const before = session;
        session = rotateRefreshToken(before, { newRefreshTokenHash: hashOf(`t${i}`), now: new Date(start.getTime() + i * 1000), ttlMs: 3_600_000 });
        const next = session;
        await uow.run(({ loginSessions }) => loginSessions.update(next, before.version));
      }
      expect(await uow.run(({ loginSessions }) => loginSessions.findById(session.id))).to.deep.equal(session);
      const known = await db.pool.anyFirst(sql.unsafe`SELECT token_hash FROM user_session_token_hashes WHERE session_id = ${session.id}`);
      expect(new Set(known)).to.deep.equal(new Set([session.refreshTokenHash, ...session.rotatedTokenHashes]));
      expect(known).to.have.length(MAX_ROTATED_TOKEN_HASHES + 1);
      const lookUp = (token: string) => uow.run(({ loginSessions }) => loginSessions.findByRefreshTokenHash(hashOf(token)));
      expect((await lookUp(`t${rotations}`))?.current).to.equal(true);
      expect((await lookUp(`t${rotations - MAX_ROTATED_TOKEN_HASHES}`))?.current).to.equal(false);
      // Older than the last 100: refused as unknown (the domain's documented trade-off), not as reused.
      expect(await lookUp(`t${rotations - MAX_ROTATED_TOKEN_HASHES - 1}`)).to.equal(null);
      expect(await lookUp('t0')).to.equal(null);
    });

    it('finds a session by any of its token hashes through an index, not a scan', async () => {
      const hash = hashOf('indexed');
      const plan = await db.pool.connect(async (connection) => {
        // A tiny table is scanned whatever the indexes; with scans priced out, a plan without a usable index would still scan.
        await connection.query(sql.unsafe`SET enable_seqscan = off`);
        try {
          return await connection.anyFirst(sql.unsafe`
            EXPLAIN SELECT s.id FROM user_session_token_hashes h JOIN user_sessions s ON s.id = h.session_id WHERE h.token_hash = ${hash}`);
        } finally {
          await connection.query(sql.unsafe`RESET enable_seqscan`);
        }
      });
      const text = plan.join('\n');
      expect(text).to.match(/Index (Only )?Scan using user_session_token_hashes_pkey/);
      expect(text).not.to.match(/Seq Scan/);
    });
  });

  describe('look-ups with input PostgreSQL cannot hold', () => {
    it('answer nothing instead of failing the unit of work', async () => {
      const uow = createPostgresUserUnitOfWork(db.pool);
      const answers = await uow.run(async ({ users, loginSessions }) => [
        await users.findById('not-a-uuid'),
        await users.findByEmail('nul\u0000@example.org'),
        await users.list({ limit: 10, q: 'nul\u0000' }),
        await loginSessions.findById('42'),
        await loginSessions.findByRefreshTokenHash('h\u0000'),
        await loginSessions.listActiveByUser('nobody', new Date()),
        // The unit of work is still usable after all of them.
        (await users.findById(owner.id))?.id,
      ]);
      expect(answers).to.deep.equal([null, null, [], null, null, [], owner.id]);
    });
  });
});
