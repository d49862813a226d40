import { StaleVersionError, err, type DomainError, type Result } from '@conference/kernel';
import { UserAlreadyLinkedError } from '../domain/errors.js';

/**
 * Runs a unit of work and turns the conflicts a repository throws when it loses a race (a stale
 * version, a user linked meanwhile) into conflict results. The throw has already rolled the unit
 * of work back; anything else is a bug and stays thrown.
 */
export async function conflictsAsResults<T>(work: () => Promise<Result<T, DomainError>>): Promise<Result<T, DomainError>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleVersionError || error instanceof UserAlreadyLinkedError) return err(error);
    throw error;
  }
}
