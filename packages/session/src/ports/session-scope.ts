import type { Inbox, Outbox } from '@conference/kernel';
import type { ScheduleLocks } from './schedule-locks.js';
import type { SessionRepository } from './session-repository.js';

/** What one unit of work of the session context can touch; used as `UnitOfWork<SessionScope>`. */
export interface SessionScope {
  readonly sessions: SessionRepository;
  readonly locks: ScheduleLocks;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
}
