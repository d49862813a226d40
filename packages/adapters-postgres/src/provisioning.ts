import { sql, type DatabasePool } from 'slonik';
import { trustedSql } from './raw-sql.js';

export interface ServiceDatabase {
  readonly database: string;
  readonly role: string;
  readonly password: string;
}


/** SQLSTATEs for "it exists already": another instance won the race, which is fine. */
const DUPLICATE = new Set(['42710', '42P04']);
const sqlState = (error: unknown): string | undefined => {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
};

async function ignoringDuplicates(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!DUPLICATE.has(sqlState(error) ?? '')) throw error;
  }
}

/**
 * Creates a service's database and its login role (idempotent, safe to run from several processes).
 * The role owns its database and nothing else, and CONNECT is revoked from PUBLIC so other
 * services' roles cannot open it: each service reaches only its own data (DESIGN §1).
 * Runs as an administrative role (a superuser or one with CREATEDB and CREATEROLE).
 */
export async function provisionServiceDatabase(admin: DatabasePool, target: ServiceDatabase): Promise<void> {
  // Utility statements take no parameters, so Postgres itself quotes the names and password.
  const roleExists = await admin.exists(sql.unsafe`SELECT 1 FROM pg_roles WHERE rolname = ${target.role}`);
  const roleStatement = await admin.oneFirst(sql.unsafe`
    SELECT format(${roleExists ? 'ALTER ROLE %I LOGIN PASSWORD %L' : 'CREATE ROLE %I LOGIN PASSWORD %L'}::text, ${target.role}::text, ${target.password}::text)`);
  await ignoringDuplicates(() => admin.query(trustedSql(String(roleStatement))));

  const databaseExists = await admin.exists(sql.unsafe`SELECT 1 FROM pg_database WHERE datname = ${target.database}`);
  if (!databaseExists) {
    await ignoringDuplicates(() => admin.query(sql.unsafe`CREATE DATABASE ${sql.identifier([target.database])} OWNER ${sql.identifier([target.role])}`));
  }
  await admin.query(sql.unsafe`ALTER DATABASE ${sql.identifier([target.database])} OWNER TO ${sql.identifier([target.role])}`);
  await admin.query(sql.unsafe`REVOKE ALL ON DATABASE ${sql.identifier([target.database])} FROM PUBLIC`);
  await admin.query(sql.unsafe`GRANT CONNECT, TEMPORARY ON DATABASE ${sql.identifier([target.database])} TO ${sql.identifier([target.role])}`);
}

/** Drops a database, closing its connections first (tests only). */
export async function dropDatabase(admin: DatabasePool, database: string): Promise<void> {
  await admin.query(sql.unsafe`DROP DATABASE IF EXISTS ${sql.identifier([database])} WITH (FORCE)`);
}

/** The connection URL of a service database for its own role, on the admin URL's host and port. */
export function serviceDatabaseUrl(adminUrl: string, target: ServiceDatabase): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(target.role);
  url.password = encodeURIComponent(target.password);
  url.pathname = `/${encodeURIComponent(target.database)}`;
  return url.toString();
}
