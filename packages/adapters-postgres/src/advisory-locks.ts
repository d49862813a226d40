import { sql, type CommonQueryMethods } from 'slonik';

/**
 * Transaction-scoped advisory locks on string keys (pretix's lesson: sort the keys so two
 * transactions wanting the same set never deadlock; a short lock_timeout turns a pile-up into an error).
 * Released by the commit or rollback of the transaction that took them.
 */
export class PostgresAdvisoryLocks {
  constructor(
    private readonly connection: CommonQueryMethods,
    private readonly lockTimeoutMs = 5_000,
  ) {}

  async acquire(keys: readonly string[]): Promise<void> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return;
    await this.connection.query(sql.unsafe`SELECT set_config('lock_timeout', ${`${this.lockTimeoutMs}ms`}, true)`);
    for (const key of unique) {
      await this.connection.query(sql.unsafe`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    }
  }
}
