import type { UnitOfWork } from '@conference/kernel';
import type { UserScope } from '../ports/user-scope.js';

/** What a storage adapter under test gives the user and login-session contract suites. */
export interface UserStoreFixture {
  /** A unit of work over a fresh, empty store (a SQL fixture truncates or uses a new schema). */
  readonly uow: UnitOfWork<UserScope>;
  close?(): Promise<void>;
}

/** What the promise rejected with, or a failure when it did not reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to throw, and it did not');
}

/** Millisecond-precision instants (what every database keeps), offset from a fixed start. */
export const at = (minutes: number): Date => new Date(Date.UTC(2026, 0, 1, 9, 0, 0, 123) + minutes * 60_000);
