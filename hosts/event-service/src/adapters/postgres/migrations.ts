import { fileURLToPath } from 'node:url';
import { loadMigrations, messagingMigrations, type MigrationSet } from '@conference/adapters-postgres';

/**
 * Everything the event database needs, in order: the shared outbox/inbox tables, then the event
 * schema. The SQL files ship beside dist/, so the path is resolved from this compiled module
 * (dist/adapters/postgres/migrations.js → migrations/).
 */
export async function eventMigrationSets(): Promise<MigrationSet[]> {
  return [
    await messagingMigrations(),
    { name: 'event', migrations: await loadMigrations(fileURLToPath(new URL('../../../migrations', import.meta.url))) },
  ];
}
