import type { Role } from '@conference/kernel';
import type { User } from '../domain/user.js';

/** Where a page of users starts: strictly after this (createdAt, id). */
export interface UserListKey {
  readonly createdAt: Date;
  readonly id: string;
}

export interface UserListQuery {
  /**
   * Case-insensitive substring of the name or the email, matched literally: `%`, `_` and `\`
   * are ordinary characters, never wildcards. Absent or empty: every user.
   */
  readonly q?: string;
  /** At most this many users are returned (≥ 1). */
  readonly limit: number;
  readonly after?: UserListKey | null;
}

/**
 * Port: the users table. Every method runs inside the unit of work whose scope it came from.
 * Returned entities are copies: changing them changes nothing stored.
 */
export interface UserRepository {
  /**
   * Stores a new user with every field as given.
   * Throws a `DomainError` of kind `conflict` with code `USER.EMAIL_TAKEN` when another user's
   * email has the same `emailKey` (case-insensitive), also when two inserts race (a unique index,
   * not a prior read, decides). Inserting an id that exists is a bug and throws.
   */
  insert(user: User): Promise<void>;
  /** The user with this id, or null. */
  findById(id: string): Promise<User | null>;
  /** The user whose email equals this one case-insensitively (by `emailKey`), or null. */
  findByEmail(email: string): Promise<User | null>;
  /**
   * Replaces the stored user with `user` (all fields, including the new `version`) if the stored
   * version equals `expectedVersion`; otherwise — also when the user does not exist — throws the
   * kernel's `StaleVersionError` (code `USER.STALE_VERSION`). Throws `USER.EMAIL_TAKEN` (conflict)
   * when the new email belongs to another user. Concurrent updates of one user: exactly one wins.
   */
  update(user: User, expectedVersion: number): Promise<void>;
  /** Users ordered by (createdAt, id) ascending, strictly after `after`, filtered by `q`. */
  list(query: UserListQuery): Promise<readonly User[]>;
  /**
   * How many users hold the role. Inside a unit of work that goes on to demote an admin, the count
   * must stay true until commit: a SQL adapter locks the rows it counts (`SELECT ... FOR UPDATE`)
   * or takes a transaction-scoped advisory lock, so two admins demoting each other concurrently
   * cannot both see two admins and leave none.
   */
  countByRole(role: Role): Promise<number>;
}
