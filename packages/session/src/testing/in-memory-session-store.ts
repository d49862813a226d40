import type { OutgoingMessage, UnitOfWork } from '@conference/kernel';
import { InMemoryInbox, InMemoryOutbox, InMemoryTransactions, InMemoryUnitOfWork } from '@conference/kernel/testing';
import type { SessionScope } from '../ports/session-scope.js';
import { InMemoryScheduleLocks } from './in-memory-schedule-locks.js';
import { InMemorySessionRepository, emptySessionState, type SessionState } from './in-memory-session-repository.js';

/** Everything the session context stores, in memory: a unit of work over sessions, outbox and inbox. */
export interface InMemorySessionStore {
  readonly uow: UnitOfWork<SessionScope>;
  readonly transactions: InMemoryTransactions<SessionState>;
  readonly locks: InMemoryScheduleLocks;
  /** Messages committed to the outbox, oldest first. */
  outbox(): readonly OutgoingMessage[];
}

/**
 * `decorate` lets a test wrap the scope of every unit of work (e.g. make one repository call
 * throw) while keeping real rollback.
 */
export function createInMemorySessionStore(decorate: (scope: SessionScope) => SessionScope = (scope) => scope): InMemorySessionStore {
  const transactions = new InMemoryTransactions(emptySessionState());
  const locks = new InMemoryScheduleLocks();
  const uow = new InMemoryUnitOfWork<SessionState, SessionScope>(transactions, (state) =>
    decorate({
      sessions: new InMemorySessionRepository(state),
      locks,
      outbox: new InMemoryOutbox(state),
      inbox: new InMemoryInbox(state),
    }),
  );
  return { uow, transactions, locks, outbox: () => transactions.state.outbox };
}
