import { err, isUuid, ok, ownsOrAdministers, StaleVersionError, type Actor, type DomainError, type Result } from '@conference/kernel';
import { notOwner, sessionNotFound, staleSession } from '../domain/errors.js';
import type { Session } from '../domain/session.js';
import type { SessionRepository } from '../ports/session-repository.js';

/**
 * Loads a session someone wants to change: it must exist, the actor must own it or be an admin,
 * and when the caller names the version it read, that must still be the stored one.
 * A malformed id is a session that does not exist (404), not a crash in the database.
 */
export async function loadForChange(
  sessions: SessionRepository,
  actor: Actor,
  id: string,
  expectedVersion: number | undefined,
): Promise<Result<Session, DomainError>> {
  if (!isUuid(id)) return err(sessionNotFound(id));
  const session = await sessions.findById(id.toLowerCase());
  if (!session) return err(sessionNotFound(id));
  if (!ownsOrAdministers(actor, session.ownerId)) return err(notOwner(id));
  if (expectedVersion !== undefined && session.version !== expectedVersion) return err(staleSession(id));
  return ok(session);
}

/**
 * Runs a writing unit of work; a StaleVersionError thrown by the repository (someone committed
 * in between, and the unit of work rolled back) becomes a conflict result.
 */
export async function staleAsConflict<T>(work: () => Promise<Result<T, DomainError>>): Promise<Result<T, DomainError>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StaleVersionError) return err(error);
    throw error;
  }
}
