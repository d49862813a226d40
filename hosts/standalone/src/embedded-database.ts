import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { DatabasePool } from 'slonik';
import { createDatabasePoolWithDriver, runMigrations, type MigrationReport, type MigrationSet } from '@conference/adapters-postgres';
import { createPGliteDriverFactory } from './pglite-driver.js';

/** One service's embedded PostgreSQL: the PGlite instance and the slonik pool over it. */
export interface EmbeddedDatabase {
  readonly name: string;
  /** The data directory (`DATA_DIR/db/<name>`), or null for an in-memory database. */
  readonly directory: string | null;
  readonly db: PGlite;
  readonly pool: DatabasePool;
  readonly migrations: MigrationReport;
  /** Ends the pool, then closes PGlite (a clean shutdown of the embedded server: nothing to recover on the next open). */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Parent folder of the data directory; omitted → in memory (tests of the driver). */
  readonly dataDir?: string;
  readonly migrationSets: readonly MigrationSet[];
}

/**
 * Opens (creating on first use) the PGlite database of one service under `dataDir/db/<name>`
 * and applies the service's migration sets with the same runner as the postgres profile. Every
 * service keeps its own database, as in production: no table is shared, no query crosses.
 */
export async function openServiceDatabase(name: string, options: OpenDatabaseOptions): Promise<EmbeddedDatabase> {
  const directory = options.dataDir ? join(options.dataDir, 'db', name) : null;
  if (directory) await mkdir(directory, { recursive: true });
  const db = directory ? await PGlite.create(directory) : await PGlite.create();
  let pool: DatabasePool | undefined;
  try {
    // A few connections are enough: they take turns on the one session anyway; more only queue in the driver.
    pool = await createDatabasePoolWithDriver(createPGliteDriverFactory(db), { name, maxPoolSize: 4 });
    const migrations = await runMigrations(pool, options.migrationSets);
    const opened = pool;
    return {
      name,
      directory,
      db,
      pool: opened,
      migrations,
      async close() {
        try {
          await opened.end();
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await pool?.end().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}
