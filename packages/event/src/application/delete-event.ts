import { err, ok, type Actor, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { EventScope } from '../ports/event-scope.js';
import { manageableEvent, normalizeId } from './access.js';
import { transact } from './transact.js';

export interface DeleteEventInput {
  readonly actor: Actor;
  readonly eventId: string;
  readonly expectedVersion?: number;
}

/**
 * Deletes a draft with its programme and the enrollment requests it rejected. Published and
 * cancelled events stay: people enrolled in them.
 * Errors: EVENT.NOT_FOUND, EVENT.FORBIDDEN, EVENT.NOT_DRAFT, EVENT.STALE_VERSION.
 */
export class DeleteEvent {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute(input: DeleteEventInput): Promise<Result<void, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    return transact(this.uow, async ({ events, enrollments, programme }) => {
      const found = manageableEvent(input.actor, await events.findForUpdate(id));
      if (!found.ok) return found;
      const event = found.value;
      if (event.status !== 'draft') return err(EventErrors.notDraft());
      if (input.expectedVersion !== undefined && input.expectedVersion !== event.version) return err(EventErrors.stale());
      await programme.removeEvent(id);
      await enrollments.deleteByEvent(id);
      await events.delete(id, event.version);
      return ok(undefined);
    });
  }
}
