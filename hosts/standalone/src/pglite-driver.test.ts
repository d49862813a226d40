import { expect } from 'chai';
import { sql, UniqueIntegrityConstraintViolationError, type DatabasePool } from 'slonik';
import * as t from 'io-ts';
import { PostgresInbox, PostgresOutbox, PostgresUnitOfWork, messagingMigrations, pendingOutbox, rowSchema } from '@conference/adapters-postgres';
import { inboxContract, outboxContract, type MessagingFixture } from '@conference/kernel/contracts';
import { sessionRepositoryContract } from '@conference/session/contracts';
import { createPostgresSessionUnitOfWork, sessionMigrationSets } from '@conference/session-service';
import { openServiceDatabase, type EmbeddedDatabase } from './embedded-database.js';

/** Empties every table but the migration ledger, so each contract case starts from nothing. */
async function truncateAll(pool: DatabasePool): Promise<void> {
  const tables = await pool.anyFirst(sql.type(rowSchema(t.type({ tablename: t.string })))`
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
  if (tables.length === 0) return;
  await pool.query(sql.unsafe`TRUNCATE ${sql.join(tables.map((name) => sql.identifier([name])), sql.fragment`, `)} RESTART IDENTITY CASCADE`);
}

describe('the slonik driver over an in-process PGlite', function () {
  this.timeout(120_000);

  describe('with the shared outbox and inbox tables', () => {
    let database: EmbeddedDatabase;
    before(async () => {
      database = await openServiceDatabase('driver-test', { migrationSets: [await messagingMigrations()] });
    });
    after(async () => {
      await database?.close();
    });

    const fixture = async (): Promise<MessagingFixture> => {
      await truncateAll(database.pool);
      const uow = new PostgresUnitOfWork(database.pool, (connection) => ({ outbox: new PostgresOutbox(connection), inbox: new PostgresInbox(connection) }));
      return { uow, pending: () => pendingOutbox(database.pool) };
    };
    outboxContract('PGlite through the slonik driver', fixture);
    inboxContract('PGlite through the slonik driver', fixture);

    it('parses types as the pg pool does: timestamptz → Date, int8 and numeric → number, arrays, jsonb, boolean', async () => {
      const row = (await database.pool.one(sql.unsafe`
        SELECT now() AS at, 9007199254740991::int8 AS big, 12.5::numeric AS amount, ARRAY[now(), now()] AS ats,
               ${sql.array(['a', 'b"c', 'd\\e', null as unknown as string], 'text')} AS texts, ${sql.jsonb({ nested: { ok: true } })} AS doc, true AS yes, NULL::text AS nothing`)) as Record<string, unknown>;
      expect(row['at']).to.be.instanceOf(Date);
      expect(row['big']).to.equal(9007199254740991);
      expect(row['amount']).to.equal(12.5);
      expect((row['ats'] as unknown[]).every((value) => value instanceof Date)).to.equal(true);
      expect(row['texts']).to.deep.equal(['a', 'b"c', 'd\\e', null]);
      expect(row['doc']).to.deep.equal({ nested: { ok: true } });
      expect(row['yes']).to.equal(true);
      expect(row['nothing']).to.equal(null);
    });

    it('turns a unique violation into slonik\'s error, with the constraint name the adapters translate by', async () => {
      await truncateAll(database.pool);
      await database.pool.query(sql.unsafe`INSERT INTO inbox (consumer, message_id) VALUES ('c', 'm')`);
      let caught: unknown;
      try {
        await database.pool.query(sql.unsafe`INSERT INTO inbox (consumer, message_id) VALUES ('c', 'm')`);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(UniqueIntegrityConstraintViolationError);
      expect((caught as UniqueIntegrityConstraintViolationError).constraint).to.equal('inbox_pkey');
    });

    it('rolls back a transaction whose work throws, and the session is clean for the next one', async () => {
      await truncateAll(database.pool);
      let thrown = false;
      try {
        await database.pool.transaction(async (tx) => {
          await tx.query(sql.unsafe`INSERT INTO inbox (consumer, message_id) VALUES ('c', 'rolled-back')`);
          throw new Error('work failed');
        });
      } catch {
        thrown = true;
      }
      expect(thrown).to.equal(true);
      expect(await database.pool.oneFirst(sql.unsafe`SELECT count(*) FROM inbox`)).to.equal(0);
      // VACUUM refuses to run inside a transaction block: it passing shows no block was left open.
      await database.pool.query(sql.unsafe`VACUUM inbox`);
    });

    it('never interleaves a second connection into an open transaction: it waits its turn', async () => {
      await truncateAll(database.pool);
      const seen: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      const first = database.pool.transaction(async (tx) => {
        await tx.query(sql.unsafe`INSERT INTO inbox (consumer, message_id) VALUES ('c', 'uncommitted')`);
        seen.push('first wrote');
        await held;
        seen.push('first commits');
      });
      // Give the first transaction the session before the others ask for it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const reader = database.pool.oneFirst(sql.unsafe`SELECT count(*) FROM inbox`).then((count) => { seen.push(`reader saw ${String(count)}`); });
      const second = database.pool.transaction(async (tx) => {
        seen.push('second began');
        await tx.query(sql.unsafe`INSERT INTO inbox (consumer, message_id) VALUES ('c', 'second')`);
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).to.deep.equal(['first wrote']);
      release();
      await Promise.all([first, reader, second]);
      // The reader never saw the uncommitted row mid-transaction; it ran after the commit.
      expect(seen).to.deep.equal(['first wrote', 'first commits', 'reader saw 1', 'second began']);
      expect(await database.pool.oneFirst(sql.unsafe`SELECT count(*) FROM inbox`)).to.equal(2);
    });

    it('rolls back a nested transaction (savepoint) alone', async () => {
      await truncateAll(database.pool);
      await database.pool.transaction(async (tx) => {
        await tx.query(sql.unsafe`INSERT INTO inbox (consumer, message_id) VALUES ('c', 'outer')`);
        await tx.transaction(async (inner) => {
          await inner.query(sql.unsafe`INSERT INTO inbox (consumer, message_id) VALUES ('c', 'inner')`);
          throw new Error('inner failed');
        }).catch(() => undefined);
      });
      expect(await database.pool.anyFirst(sql.unsafe`SELECT message_id FROM inbox ORDER BY message_id`)).to.deep.equal(['outer']);
    });
  });

  describe('with the session service\'s migrations and adapters', () => {
    let database: EmbeddedDatabase;
    before(async () => {
      database = await openServiceDatabase('session-contract', { migrationSets: await sessionMigrationSets() });
    });
    after(async () => {
      await database?.close();
    });

    sessionRepositoryContract('PostgreSQL adapter on PGlite', async () => {
      await truncateAll(database.pool);
      return { uow: createPostgresSessionUnitOfWork(database.pool) };
    });
  });
});
