import type { CommonQueryMethods, DatabasePool } from 'slonik';
import type { UnitOfWork } from '@conference/kernel';

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
    return this.pool.transaction((connection) => work(this.scopeOf(connection)));
  }
}
