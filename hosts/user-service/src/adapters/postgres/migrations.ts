import { fileURLToPath } from 'node:url';
import { loadMigrations, messagingMigrations, type MigrationSet } from '@conference/adapters-postgres';

/**
 * Everything the user database needs, in order: the shared outbox/inbox tables, then the user
 * schema. The SQL files ship beside dist/, so the path is resolved from this compiled module
 * (dist/adapters/postgres/migrations.js → migrations/).
 */
export async function userMigrationSets(): Promise<MigrationSet[]> {
  return [
    await messagingMigrations(),
    { name: 'user', migrations: await loadMigrations(fileURLToPath(new URL('../../../migrations', import.meta.url))) },
  ];
}
