import { fileURLToPath } from 'node:url';
import { loadMigrations, type MigrationSet } from './migrations.js';

export { createDatabasePool, createDatabasePoolWithDriver, type PoolOptions } from './pool.js';
export { rowSchema, DbDate, dbNullable } from './row-schema.js';
export { runMigrations, loadMigrations, type Migration, type MigrationSet, type MigrationReport } from './migrations.js';
export { PostgresOutbox, PostgresInbox, pendingOutbox } from './messaging.js';
export { PostgresUnitOfWork, isDatabaseUnavailable, whileDatabaseAvailable } from './unit-of-work.js';
export { PostgresAdvisoryLocks } from './advisory-locks.js';
export { translateConstraintErrors, isUniqueViolation, isCheckViolation, isForeignKeyViolation } from './errors.js';
export { provisionServiceDatabase, dropDatabase, serviceDatabaseUrl, type ServiceDatabase } from './provisioning.js';

/** The outbox and inbox tables every service database has; run before the service's own set. */
export const messagingMigrations = async (): Promise<MigrationSet> => ({
  name: 'messaging',
  migrations: await loadMigrations(fileURLToPath(new URL('../migrations', import.meta.url))),
});
export { asUuid, containsNul, likeLiteral, timestamptz, pageLimit, sliceOf } from './sql-values.js';
