import { fileURLToPath } from 'node:url';
import { loadMigrations, messagingMigrations, type MigrationSet } from '@conference/adapters-postgres';

/**
 * Everything the notifier database needs, in order: the shared outbox/inbox tables (the audit
 * consumer records message ids in the inbox like every consumer), then the notifier schema.
 * The SQL files ship beside dist/ (dist/adapters/postgres/migrations.js → migrations/).
 */
export async function notifierMigrationSets(): Promise<MigrationSet[]> {
  return [
    await messagingMigrations(),
    { name: 'notifier', migrations: await loadMigrations(fileURLToPath(new URL('../../../migrations', import.meta.url))) },
  ];
}
