import { createPool, sql, type DatabasePool } from 'slonik';
import { createDatabasePool } from '../pool.js';
import { runMigrations, type MigrationSet } from '../migrations.js';
import { dropDatabase, provisionServiceDatabase, serviceDatabaseUrl } from '../provisioning.js';

/** Where the tests find an administrative connection to PostgreSQL. */
export const pgAdminUrl = (): string => process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** With REQUIRE_INFRA=1 (CI) a missing server fails the run instead of skipping its tests. */
export const infrastructureRequired = (): boolean => process.env.REQUIRE_INFRA === '1';

const answers = new Map<string, Promise<string | null>>();

/** Null when PostgreSQL answers at `url`; otherwise why not. Asked once per process and URL. */
export function postgresProblem(url = pgAdminUrl()): Promise<string | null> {
  let answer = answers.get(url);
  if (!answer) {
    answer = (async () => {
      let pool: DatabasePool | undefined;
      try {
        pool = await createPool(url, { connectionTimeout: 2_000, maxPoolSize: 1 });
        await pool.oneFirst(sql.unsafe`SELECT 1`);
        return null;
      } catch (error) {
        return `PostgreSQL unreachable at ${url}: ${(error as Error).message}`;
      } finally {
        await pool?.end().catch(() => undefined);
      }
    })();
    answers.set(url, answer);
  }
  return answer;
}

/**
 * For a mocha `before` hook of a suite that needs PostgreSQL: skips the suite when the server is
 * missing, unless REQUIRE_INFRA=1, where it fails.
 */
export async function requirePostgres(context: Mocha.Context, url = pgAdminUrl()): Promise<void> {
  const problem = await postgresProblem(url);
  if (problem === null) return;
  if (infrastructureRequired()) throw new Error(`${problem} (REQUIRE_INFRA=1, so this fails instead of skipping)`);
  console.warn(`  skipped: ${problem}`);
  context.skip();
}

export interface TestDatabase {
  readonly url: string;
  readonly pool: DatabasePool;
  /** Empties every table but schema_migrations, for a fresh fixture per test. */
  truncate(): Promise<void>;
  /** Another pool on the same database (a second "instance"). */
  newPool(maxPoolSize?: number): Promise<DatabasePool>;
  close(): Promise<void>;
}

/**
 * A fresh database with its own role, migrated, named `ct_<name>`: recreated at each run so a
 * crashed earlier run leaves nothing behind that matters.
 */
export async function createTestDatabase(name: string, sets: readonly MigrationSet[]): Promise<TestDatabase> {
  const admin = await createDatabasePool(pgAdminUrl(), { maxPoolSize: 1 });
  const target = { database: `ct_${name}`, role: `ct_${name}`, password: `ct_${name}_password` };
  try {
    await dropDatabase(admin, target.database);
    await provisionServiceDatabase(admin, target);
  } finally {
    await admin.end();
  }
  const url = serviceDatabaseUrl(pgAdminUrl(), target);
  const pool = await createDatabasePool(url, { maxPoolSize: 10 });
  await runMigrations(pool, sets);
  const extraPools: DatabasePool[] = [];
  return {
    url,
    pool,
    async truncate() {
      const tables = await pool.anyFirst(sql.unsafe`
        SELECT quote_ident(tablename) FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
      if (tables.length === 0) return;
      await pool.query(sql.unsafe`TRUNCATE ${sql.join(tables.map((table) => sql.identifier([String(table).replace(/^"|"$/g, '')])), sql.fragment`, `)} RESTART IDENTITY CASCADE`);
    },
    async newPool(maxPoolSize = 10) {
      const extra = await createDatabasePool(url, { maxPoolSize });
      extraPools.push(extra);
      return extra;
    },
    async close() {
      await Promise.all([pool.end(), ...extraPools.map((extra) => extra.end())]);
    },
  };
}

/**
 * Counts the statements run through the pools or connections it wraps (tests of how many round
 * trips a path takes): every query method called on a wrapped object is one statement.
 */
export class StatementCounter {
  statements = 0;

  wrap<T extends object>(queries: T): T {
    return new Proxy(queries, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          this.statements += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  reset(): void {
    this.statements = 0;
  }
}
