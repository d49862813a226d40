import type { CommonQueryMethods } from 'slonik';
import type { Session, SessionQueries } from '@conference/session';
import { whileDatabaseAvailable } from '@conference/adapters-postgres';
import { PostgresSessionRepository } from './postgres-session-repository.js';

/**
 * SessionQueries straight on the pool, no transaction: findById and findByIds are one SELECT each
 * (the session row with its speakers as an ARRAY subquery), so each already reads one committed
 * snapshot. It reuses the repository's queries so the two cannot drift; only reads are exposed.
 */
export class PostgresSessionQueries implements SessionQueries {
  private readonly repository: PostgresSessionRepository;

  constructor(pool: CommonQueryMethods) {
    this.repository = new PostgresSessionRepository(pool);
  }

  findById(id: string): Promise<Session | null> {
    return whileDatabaseAvailable(() => this.repository.findById(id));
  }

  findByIds(ids: readonly string[]): Promise<Session[]> {
    return whileDatabaseAvailable(() => this.repository.findByIds(ids));
  }
}
