import { fileURLToPath } from 'node:url';
import { loadMigrations, messagingMigrations, type MigrationSet } from '@conference/adapters-postgres';

/**
 * Everything the session service's database needs, in the order it is applied: the shared outbox
 * and inbox tables, then the service's own schema (hosts/session-service/migrations).
 */
export async function sessionMigrationSets(): Promise<MigrationSet[]> {
  // From dist/adapters/postgres back to the package root, where migrations/ sits beside dist/.
  const directory = fileURLToPath(new URL('../../../migrations', import.meta.url));
  return [await messagingMigrations(), { name: 'session', migrations: await loadMigrations(directory) }];
}
