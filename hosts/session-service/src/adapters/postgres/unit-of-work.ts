import type { DatabasePool } from 'slonik';
import type { UnitOfWork } from '@conference/kernel';
import { PostgresAdvisoryLocks, PostgresInbox, PostgresOutbox, PostgresUnitOfWork } from '@conference/adapters-postgres';
import type { ScheduleLocks, SessionScope } from '@conference/session';
import { PostgresSessionRepository } from './postgres-session-repository.js';

export interface PostgresSessionUnitOfWorkOptions {
  /**
   * How long a booking waits for the schedule lock of a speaker or room before it fails
   * (default: PostgresAdvisoryLocks' 5 s). Bookings hold the locks only for their own short
   * transaction (speakers are checked with the speaker service before it opens), so a long wait
   * means a stuck holder, and an error beats a hung request.
   */
  readonly lockTimeoutMs?: number;
}

/**
 * The session context's unit of work as one PostgreSQL transaction: the repository, the schedule
 * locks, the outbox and the inbox all work on the transaction's connection, so a booking's
 * checks, its row and its session.* message commit together, and the advisory locks are
 * released by that commit or rollback.
 */
export function createPostgresSessionUnitOfWork(pool: DatabasePool, options: PostgresSessionUnitOfWorkOptions = {}): UnitOfWork<SessionScope> {
  return new PostgresUnitOfWork<SessionScope>(pool, (connection) => {
    // The shared advisory locks already keep the ScheduleLocks contract (sorted, de-duplicated
    // keys hashed with hashtextextended, transaction-scoped, re-entrant, under a lock_timeout),
    // and their signature is the port's, so no adapter class is needed in between.
    const locks: ScheduleLocks = new PostgresAdvisoryLocks(connection, options.lockTimeoutMs);
    return {
      sessions: new PostgresSessionRepository(connection),
      locks,
      outbox: new PostgresOutbox(connection),
      inbox: new PostgresInbox(connection),
    };
  });
}
