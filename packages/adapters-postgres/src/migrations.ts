import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as t from 'io-ts';
import { sql, type DatabasePool } from 'slonik';
import { trustedSql } from './raw-sql.js';
import { splitStatements } from './split-statements.js';
import { rowSchema } from './row-schema.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Migrations that evolve together: a service's schema, or the shared outbox/inbox tables. */
export interface MigrationSet {
  readonly name: string;
  readonly migrations: readonly Migration[];
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

const AppliedRow = rowSchema(t.type({ set_name: t.string, version: t.number, checksum: t.string }));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `0001_create_events.sql`-style files, in version order. */
export async function loadMigrations(directory: string): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`migration file ${file} in ${directory} must be named NNNN_snake_case.sql`);
    migrations.push({ version: Number(match[1]), name: match[2]!, sql: await readFile(join(directory, file), 'utf8') });
  }
  const versions = migrations.map((m) => m.version);
  if (new Set(versions).size !== versions.length) throw new Error(`duplicate migration versions in ${directory}`);
  return migrations;
}


const checksum = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Any fixed number works; it only has to be the same for every instance of every service. */
const MIGRATION_LOCK_KEY = 7_240_331;

/**
 * Applies what is missing, each migration in its own transaction, under a session-level advisory
 * lock: several instances starting at once queue on the lock, and the later ones find nothing to do.
 * An applied migration whose text has changed stops the run: edit by adding a new migration.
 */
export async function runMigrations(pool: DatabasePool, sets: readonly MigrationSet[]): Promise<MigrationReport> {
  return pool.connect(async (connection) => {
    await connection.query(sql.unsafe`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await connection.query(sql.unsafe`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          set_name   text        NOT NULL,
          version    integer     NOT NULL,
          name       text        NOT NULL,
          checksum   text        NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (set_name, version)
        )`);
      const rows = await connection.any(sql.type(AppliedRow)`SELECT set_name, version, checksum FROM schema_migrations`);
      const done = new Map(rows.map((row) => [`${row.set_name}/${row.version}`, row.checksum]));
      const applied: string[] = [];
      let alreadyApplied = 0;
      for (const set of sets) {
        for (const migration of [...set.migrations].sort((a, b) => a.version - b.version)) {
          const id = `${set.name}/${migration.version}`;
          const sum = checksum(migration.sql);
          const previous = done.get(id);
          if (previous !== undefined) {
            if (previous !== sum) throw new Error(`migration ${id} (${migration.name}) was changed after it was applied; add a new migration instead`);
            alreadyApplied += 1;
            continue;
          }
          await connection.transaction(async (tx) => {
            for (const statement of splitStatements(migration.sql)) await tx.query(trustedSql(statement));
            await tx.query(sql.unsafe`
              INSERT INTO schema_migrations (set_name, version, name, checksum)
              VALUES (${set.name}, ${migration.version}, ${migration.name}, ${sum})`);
          });
          applied.push(`${id}_${migration.name}`);
        }
      }
      return { applied, alreadyApplied };
    } finally {
      await connection.query(sql.unsafe`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}
