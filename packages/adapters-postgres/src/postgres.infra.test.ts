import { expect } from 'chai';
import { DomainError } from '@conference/kernel';
import { sql } from 'slonik';
import { inboxContract, outboxContract } from '@conference/kernel/contracts';
import type { MessagingFixture } from '@conference/kernel/contracts';
import { createDatabasePool, messagingMigrations, PostgresInbox, PostgresOutbox, PostgresUnitOfWork, pendingOutbox, runMigrations, PostgresAdvisoryLocks, whileDatabaseAvailable } from './index.js';
import { createTestDatabase, pgAdminUrl, postgresProblem, requirePostgres, type TestDatabase } from './testing/index.js';

describe('@infra PostgreSQL shared adapters', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('shared', [await messagingMigrations()]);
  });
  after(async () => { await db?.close(); });

  const fixture = async (): Promise<MessagingFixture> => {
    await db.truncate();
    const uow = new PostgresUnitOfWork(db.pool, (connection) => ({
      outbox: new PostgresOutbox(connection),
      inbox: new PostgresInbox(connection),
    }));
    return { uow, pending: () => pendingOutbox(db.pool) };
  };

  describe('contracts on the real server', () => {
    outboxContract('PostgreSQL', fixture);
    inboxContract('PostgreSQL', fixture);
  });

  describe('migrations', () => {
    it('running them again changes nothing', async () => {
      const report = await runMigrations(db.pool, [await messagingMigrations()]);
      expect(report.applied).to.deep.equal([]);
      expect(report.alreadyApplied).to.equal(1);
    });

    it('two processes migrating a fresh database at once apply each migration once', async () => {
      const fresh = await createTestDatabase('migrate_race', []);
      const other = await fresh.newPool(2);
      try {
        const sets = [await messagingMigrations(), {
          name: 'race',
          migrations: [
            { version: 1, name: 'slow_table', sql: 'SELECT pg_sleep(0.2); CREATE TABLE race_one (id int PRIMARY KEY);' },
            { version: 2, name: 'second', sql: 'CREATE TABLE race_two (id int PRIMARY KEY);' },
          ],
        }];
        const [a, b] = await Promise.all([runMigrations(fresh.pool, sets), runMigrations(other, sets)]);
        expect([...a.applied, ...b.applied].sort()).to.deep.equal(['messaging/1_outbox_and_inbox', 'race/1_slow_table', 'race/2_second']);
        const rows = await fresh.pool.oneFirst(sql.unsafe`SELECT count(*) FROM schema_migrations`);
        expect(rows).to.equal(3);
      } finally {
        await fresh.close();
      }
    });

    it('refuses to run when an applied migration was edited', async () => {
      const edited = { name: 'messaging', migrations: [{ version: 1, name: 'outbox_and_inbox', sql: 'SELECT 1;' }] };
      let error: Error | undefined;
      try {
        await runMigrations(db.pool, [edited]);
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message).to.match(/was changed after it was applied/);
    });
  });

  describe('database per service', () => {
    it("a service role cannot connect to another service's database", async () => {
      const other = await createTestDatabase('isolation_other', []);
      const url = new URL(db.url);
      url.pathname = '/ct_isolation_other';
      let error: Error | undefined;
      try {
        const intruder = await createDatabasePool(url.toString(), { maxPoolSize: 1 });
        try {
          await intruder.oneFirst(sql.unsafe`SELECT 1`);
        } finally {
          await intruder.end().catch(() => undefined);
        }
      } catch (caught) {
        error = caught as Error;
      } finally {
        await other.close();
      }
      expect(String(error?.message ?? '') + String((error?.cause as Error | undefined)?.message ?? '')).to.match(/permission denied/i);
    });
  });

  describe('advisory locks', () => {
    it('serialise two transactions on the same key and release at commit', async () => {
      const order: string[] = [];
      const first = db.pool.transaction(async (tx) => {
        await new PostgresAdvisoryLocks(tx).acquire(['speaker:1', 'room:a']);
        order.push('first locked');
        await new Promise((resolve) => setTimeout(resolve, 150));
        order.push('first done');
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      const second = db.pool.transaction(async (tx) => {
        await new PostgresAdvisoryLocks(tx).acquire(['room:a']);
        order.push('second locked');
      });
      await Promise.all([first, second]);
      expect(order).to.deep.equal(['first locked', 'first done', 'second locked']);
    });
  });

  describe('REQUIRE_INFRA', () => {
    it('reports an unreachable server, so CI fails instead of skipping', async () => {
      const unreachable = 'postgres://postgres@127.0.0.1:1/postgres';
      expect(await postgresProblem(unreachable)).to.match(/unreachable/);
      const previous = process.env.REQUIRE_INFRA;
      process.env.REQUIRE_INFRA = '1';
      let error: Error | undefined;
      try {
        await requirePostgres({ skip: () => { throw new Error('skipped'); } } as unknown as Mocha.Context, unreachable);
      } catch (caught) {
        error = caught as Error;
      } finally {
        if (previous === undefined) delete process.env.REQUIRE_INFRA; else process.env.REQUIRE_INFRA = previous;
      }
      expect(error?.message).to.match(/REQUIRE_INFRA=1/);
      expect(pgAdminUrl()).to.be.a('string');
    });
  });
});

describe('@infra PostgresUnitOfWork when the database cannot serve', function () {
  let db: TestDatabase;
  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('uow_unavailable', [await messagingMigrations()]);
  });
  after(async () => { await db?.close(); });

  it('turns a lock timeout into an unavailable DomainError, not an anonymous failure', async () => {
    const uow = new PostgresUnitOfWork(db.pool, (connection) => ({ locks: new PostgresAdvisoryLocks(connection, 50) }));
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const holder = uow.run(async ({ locks }) => { await locks.acquire(['k']); await held; });
    await new Promise((resolve) => setTimeout(resolve, 50));
    let error: unknown;
    try {
      await uow.run(({ locks }) => locks.acquire(['k']));
    } catch (caught) {
      error = caught;
    }
    release();
    await holder;
    expect(error).to.be.instanceOf(DomainError);
    expect((error as DomainError).kind).to.equal('unavailable');
    expect((error as DomainError).code).to.equal('DATABASE.UNAVAILABLE');
  });

  it('maps a statement timeout outside a unit of work the same way, and lets other errors through unchanged', async () => {
    const timedOut = await whileDatabaseAvailable(() => db.pool.transaction(async (tx) => {
      await tx.query(sql.unsafe`SET LOCAL statement_timeout = '20ms'`);
      return tx.query(sql.unsafe`SELECT pg_sleep(1)`);
    })).then(() => null, (caught: unknown) => caught);
    expect(timedOut).to.be.instanceOf(DomainError);
    expect((timedOut as DomainError).code).to.equal('DATABASE.UNAVAILABLE');
    const syntax = await whileDatabaseAvailable(() => db.pool.query(sql.unsafe`SELEC 1`)).then(() => null, (caught: unknown) => caught);
    expect(syntax).to.be.an('error').and.not.be.instanceOf(DomainError);
  });
});
