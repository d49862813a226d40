import { err, isUuid, ok, ownsOrAdministers, type Actor, type DomainError, type Result } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { Event } from '../domain/event.js';

/** Ids are stored lowercase; anything that is not a UUID names nothing. */
export const normalizeId = (id: string): string | null => (isUuid(id) ? id.toLowerCase() : null);

/** Drafts are seen only by their organizer and admins; everyone else is told there is no such event. */
export const canSee = (actor: Actor | null, event: Event): boolean =>
  event.status !== 'draft' || (actor !== null && ownsOrAdministers(actor, event.organizerId));

export function visibleEvent(actor: Actor | null, event: Event | null): Result<Event, DomainError> {
  return event !== null && canSee(actor, event) ? ok(event) : err(EventErrors.notFound());
}

/** The event if the actor may change it: 404 when they cannot even see it, 403 when it is someone else's. */
export function manageableEvent(actor: Actor, event: Event | null): Result<Event, DomainError> {
  const visible = visibleEvent(actor, event);
  if (!visible.ok) return visible;
  return ownsOrAdministers(actor, visible.value.organizerId) ? visible : err(EventErrors.notOwner());
}
