import type { Outbox } from '@conference/kernel';
import type { LoginSessionRepository } from './login-session-repository.js';
import type { UserRepository } from './user-repository.js';

/**
 * What one unit of work of the user service can touch: its two tables and its outbox, all in the
 * same transaction, so a state change and the message announcing it commit together or not at all.
 */
export interface UserScope {
  readonly users: UserRepository;
  readonly loginSessions: LoginSessionRepository;
  readonly outbox: Outbox;
}
