import type { DomainError } from '@conference/kernel';
import {
  CheckIntegrityConstraintViolationError,
  CheckExclusionConstraintViolationError,
  ForeignKeyIntegrityConstraintViolationError,
  UniqueIntegrityConstraintViolationError,
  IntegrityConstraintViolationError,
} from 'slonik';

/**
 * Turns a constraint violation into the domain error the port promises, by constraint name, so
 * no SQL detail reaches a client. Unknown violations are rethrown as they are: they are bugs.
 */
export async function translateConstraintErrors<T>(
  work: () => Promise<T>,
  byConstraint: Readonly<Record<string, () => DomainError>>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IntegrityConstraintViolationError && error.constraint && byConstraint[error.constraint]) {
      throw byConstraint[error.constraint]!();
    }
    throw error;
  }
}

export const isUniqueViolation = (error: unknown): error is UniqueIntegrityConstraintViolationError =>
  error instanceof UniqueIntegrityConstraintViolationError;
export const isCheckViolation = (error: unknown): boolean =>
  error instanceof CheckIntegrityConstraintViolationError || error instanceof CheckExclusionConstraintViolationError;
export const isForeignKeyViolation = (error: unknown): boolean => error instanceof ForeignKeyIntegrityConstraintViolationError;
