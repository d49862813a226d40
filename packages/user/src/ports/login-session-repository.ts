import type { LoginSession } from '../domain/login-session.js';

/** A session found by a refresh-token hash, and whether that hash is its current token or a rotated-out one. */
export interface RefreshTokenMatch {
  readonly session: LoginSession;
  readonly current: boolean;
}

/**
 * Port: the user_sessions table (login sessions). Every method runs inside the unit of work whose
 * scope it came from. Returned sessions are copies. A refresh-token hash (current or rotated out)
 * belongs to at most one session.
 */
export interface LoginSessionRepository {
  /**
   * Stores a new session with every field as given. Throws a `DomainError` of kind `conflict`
   * with code `LOGIN_SESSION.DUPLICATE` when the id, or its refresh-token hash, is already stored.
   */
  insert(session: LoginSession): Promise<void>;
  /** The session with this id (whatever its state), or null. */
  findById(id: string): Promise<LoginSession | null>;
  /**
   * The session whose current refresh-token hash is `hash` (`current: true`) or whose remembered
   * rotated-out hashes contain it (`current: false`), whatever the session's state; null when no
   * session knows the hash.
   */
  findByRefreshTokenHash(hash: string): Promise<RefreshTokenMatch | null>;
  /**
   * Replaces the stored session with `session` (all fields, including the new `version` and the
   * rotated-out hashes) if the stored version equals `expectedVersion`; otherwise — also when the
   * session does not exist — throws the kernel's `StaleVersionError` (code
   * `LOGIN_SESSION.STALE_VERSION`). Two refreshes racing with one token: exactly one wins.
   */
  update(session: LoginSession, expectedVersion: number): Promise<void>;
  /**
   * The user's sessions that are neither revoked nor expired at `now` (expiresAt > now), most
   * recently used first (lastUsedAt descending, then id ascending).
   */
  listActiveByUser(userId: string, now: Date): Promise<readonly LoginSession[]>;
}
