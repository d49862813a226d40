import { err, ok, type Actor, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { EventScope } from '../ports/event-scope.js';
import { normalizeId, visibleEvent } from './access.js';
import { toEventDetailView, type EventDetailView } from './views.js';

export interface GetEventInput {
  /** null for an anonymous visitor. */
  readonly actor: Actor | null;
  readonly eventId: string;
}

/** An event with seats taken/left, waitlist length and schedule. Drafts: owner and admins only (404 for others). */
export class GetEvent {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute(input: GetEventInput): Promise<Result<EventDetailView, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    return this.uow.run(async ({ events, enrollments, programme }) => {
      const found = visibleEvent(input.actor, await events.findById(id));
      if (!found.ok) return found;
      const counts = await enrollments.counts(id);
      return ok(toEventDetailView(found.value, counts.waitlisted, await programme.listByEvent(id)));
    });
  }
}
