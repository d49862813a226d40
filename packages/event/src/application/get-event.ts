import { err, ok, type Actor, type DomainError, type Result } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { EventCatalog } from '../ports/event-catalog.js';
import { normalizeId, visibleEvent } from './access.js';
import { toEventDetailView, type EventDetailView } from './views.js';

export interface GetEventInput {
  /** null for an anonymous visitor. */
  readonly actor: Actor | null;
  readonly eventId: string;
}

/**
 * An event with seats taken/left, waitlist length and schedule. Drafts: owner and admins only (404 for others).
 * Read from the catalog, not in a unit of work: it changes nothing, and it is the most frequent request.
 */
export class GetEvent {
  constructor(private readonly catalog: EventCatalog) {}

  async execute(input: GetEventInput): Promise<Result<EventDetailView, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    const entry = await this.catalog.find(id);
    if (entry === null) return err(EventErrors.notFound());
    const found = visibleEvent(input.actor, entry.event);
    if (!found.ok) return found;
    return ok(toEventDetailView(found.value, entry.waitlisted, entry.programme));
  }
}
