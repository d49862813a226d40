import { err, ok, type Actor, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { EventScope } from '../ports/event-scope.js';
import { manageableEvent, normalizeId } from './access.js';
import { transact } from './transact.js';

export interface UnlinkSessionInput {
  readonly actor: Actor;
  readonly eventId: string;
  readonly sessionId: string;
}

/**
 * Takes a manually linked session out of the programme. Idempotent (`removed: false` when it was
 * not listed), so a retried DELETE succeeds. A session created for this event follows the session
 * service and cannot be unlinked here (it would come back with its next update).
 * Errors: EVENT.NOT_FOUND, EVENT.FORBIDDEN, EVENT.CANCELLED, EVENT.SESSION_OWNED_BY_EVENT.
 */
export class UnlinkSession {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute(input: UnlinkSessionInput): Promise<Result<{ readonly removed: boolean }, DomainError>> {
    const eventId = normalizeId(input.eventId);
    if (eventId === null) return err(EventErrors.notFound());
    const sessionId = normalizeId(input.sessionId);
    return transact(this.uow, async ({ events, programme }) => {
      const found = manageableEvent(input.actor, await events.findForUpdate(eventId));
      if (!found.ok) return found;
      if (found.value.status === 'cancelled') return err(EventErrors.readOnly());
      const entry = sessionId === null ? null : await programme.find(eventId, sessionId);
      if (entry === null) return ok({ removed: false });
      if (!entry.linkedManually) return err(EventErrors.sessionOwnedByEvent());
      return ok({ removed: await programme.remove(eventId, entry.sessionId) });
    });
  }
}
