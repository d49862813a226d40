import type { DatabasePool } from 'slonik';
import type { Inbox, UnitOfWork } from '@conference/kernel';
import { PostgresInbox, PostgresOutbox, PostgresUnitOfWork } from '@conference/adapters-postgres';
import type { UserScope } from '@conference/user';
import { PostgresLoginSessionRepository } from './postgres-login-session-repository.js';
import { PostgresUserRepository } from './postgres-user-repository.js';

/**
 * The user scope plus the inbox. The user service consumes no messages today (DESIGN §1), but its
 * database has the shared inbox table, and a consumer added later records message ids in the same
 * transaction as its writes. No advisory locks: the one rule that needs serialising (never zero
 * admins) is kept by countByRole locking the rows it counts, and email uniqueness by a unique index.
 */
export type PostgresUserScope = UserScope & { readonly inbox: Inbox };

/** One unit of work = one PostgreSQL transaction; users, login sessions, outbox and inbox share its connection. */
export function createPostgresUserUnitOfWork(pool: DatabasePool): UnitOfWork<PostgresUserScope> {
  return new PostgresUnitOfWork(pool, (connection) => ({
    users: new PostgresUserRepository(connection),
    loginSessions: new PostgresLoginSessionRepository(connection),
    outbox: new PostgresOutbox(connection),
    inbox: new PostgresInbox(connection),
  }));
}
