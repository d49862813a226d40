import { StaleVersionError, err, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import type { EventScope } from '../ports/event-scope.js';

/**
 * Runs a use case's unit of work. Work returns `err` only before it has written anything (an
 * error result commits, it does not roll back); a StaleVersionError thrown by a repository rolls
 * the work back and becomes a conflict result.
 */
export async function transact<T>(
  uow: UnitOfWork<EventScope>,
  work: (scope: EventScope) => Promise<Result<T, DomainError>>,
): Promise<Result<T, DomainError>> {
  try {
    return await uow.run(work);
  } catch (error) {
    if (error instanceof StaleVersionError) return err(error);
    throw error;
  }
}
