import { fileURLToPath } from 'node:url';
import { loadMigrations, messagingMigrations, type MigrationSet } from '@conference/adapters-postgres';

/**
 * Everything the notifier database needs, in order: the shared outbox/inbox tables, then the
 * notifier schema. The notifier writes no inbox rows (its audit log is idempotent on the
 * message id by itself), but the set stays: databases already migrated have it applied, and a
 * table left unused costs nothing where dropping it would be a migration to get wrong.
 * The SQL files ship beside dist/ (dist/adapters/postgres/migrations.js → migrations/).
 */
export async function notifierMigrationSets(): Promise<MigrationSet[]> {
  return [
    await messagingMigrations(),
    { name: 'notifier', migrations: await loadMigrations(fileURLToPath(new URL('../../../migrations', import.meta.url))) },
  ];
}
