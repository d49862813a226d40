import {
  BackendTerminatedError,
  BackendTerminatedUnexpectedlyError,
  ConnectionError,
  IdleTransactionTimeoutError,
  StatementCancelledError,
  StatementTimeoutError,
  type CommonQueryMethods,
  type DatabasePool,
} from 'slonik';
import { DomainError, type UnitOfWork } from '@conference/kernel';

/** SQLSTATE 55P03: a lock_timeout expired (advisory or row lock held too long by another transaction). */
const LOCK_NOT_AVAILABLE = '55P03';

const sqlState = (error: unknown): string | undefined =>
  (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;

/**
 * Failures that say "the database cannot serve this now", not "this request is wrong": they become an
 * `unavailable` DomainError (503 with Retry-After at the edge) instead of an anonymous 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return (
    error instanceof ConnectionError ||
    error instanceof BackendTerminatedError ||
    error instanceof BackendTerminatedUnexpectedlyError ||
    error instanceof StatementTimeoutError ||
    error instanceof StatementCancelledError ||
    error instanceof IdleTransactionTimeoutError ||
    sqlState(error) === LOCK_NOT_AVAILABLE
  );
}

/**
 * Runs database work outside a unit of work (a read port's one statement, a throttle counter) and
 * turns "the database cannot serve this now" into the same `unavailable` DomainError the unit of
 * work throws: 503 with Retry-After at the edge, a retry for a consumer — not an anonymous 500.
 */
export async function whileDatabaseAvailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw DomainError.unavailable('DATABASE.UNAVAILABLE', 'The database is busy or unreachable; try again shortly');
    }
    throw error;
  }
}

/**
 * A UnitOfWork as one PostgreSQL transaction. `scopeOf` builds the context's repositories, outbox
 * and inbox on the transaction connection, so everything the work writes commits together.
 * slonik retries the whole work on serialization failures and deadlocks (SQLSTATE 40001/40P01),
 * so work must not have effects outside the scope.
 */
export class PostgresUnitOfWork<Scope> implements UnitOfWork<Scope> {
  constructor(
    private readonly pool: DatabasePool,
    private readonly scopeOf: (connection: CommonQueryMethods) => Scope,
  ) {}

  run<T>(work: (scope: Scope) => Promise<T>): Promise<T> {
    return whileDatabaseAvailable(() => this.pool.transaction((connection) => work(this.scopeOf(connection))));
  }
}
