import { err, ok, type DomainError, type FieldIssue, type Result } from '@conference/kernel';
import { EventErrors, RejectionReasons, type RejectionReason } from './errors.js';

/**
 * Lifecycle: draft → published → cancelled. A draft is not cancelled but deleted: nobody has seen
 * it or enrolled in it, so a cancellation (and its emails) would tell no one anything.
 * A cancelled event is read-only.
 */
export type EventStatus = 'draft' | 'published' | 'cancelled';
export const EVENT_STATUSES: readonly EventStatus[] = ['draft', 'published', 'cancelled'];

export const EVENT_LIMITS = {
  title: { min: 1, max: 200 },
  description: { min: 0, max: 5000 },
  venue: { min: 1, max: 200 },
  capacity: { min: 1, max: 100_000 },
} as const;

/** What an organizer writes; everything else on an event is kept by the system. */
export interface EventDetails {
  readonly title: string;
  readonly description: string;
  readonly venue: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly capacity: number;
}

export interface Event extends EventDetails {
  readonly id: string;
  readonly organizerId: string;
  readonly status: EventStatus;
  /** Enrolled attendees; never above capacity. Changed only under the event's row lock. */
  readonly seatsTaken: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /**
   * Bumped by every change an organizer makes (details, status). Seat counts change without a
   * bump, so an organizer's edit is not made stale by every enrollment; they are protected by the
   * row lock instead (see EventRepository.findForUpdate).
   */
  readonly version: number;
}

function checkText(issues: FieldIssue[], path: 'title' | 'description' | 'venue', value: string): void {
  const { min, max } = EVENT_LIMITS[path];
  if (value.trim().length < min) issues.push({ path, message: 'must not be empty' });
  else if (value.length > max) issues.push({ path, message: `must be at most ${max} characters` });
}

function checkDetails(details: EventDetails, now: Date, timesChanged: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  checkText(issues, 'title', details.title);
  checkText(issues, 'description', details.description);
  checkText(issues, 'venue', details.venue);
  const { min, max } = EVENT_LIMITS.capacity;
  if (!Number.isInteger(details.capacity) || details.capacity < min || details.capacity > max) {
    issues.push({ path: 'capacity', message: `must be an integer between ${min} and ${max}` });
  }
  if (Number.isNaN(details.startsAt.getTime())) issues.push({ path: 'startsAt', message: 'is not a real date' });
  else if (timesChanged && details.startsAt <= now) issues.push({ path: 'startsAt', message: 'must be in the future' });
  if (Number.isNaN(details.endsAt.getTime())) issues.push({ path: 'endsAt', message: 'is not a real date' });
  else if (details.endsAt <= details.startsAt) issues.push({ path: 'endsAt', message: 'must be after startsAt' });
  return issues;
}

const trimmed = (details: EventDetails): EventDetails => ({
  ...details,
  title: details.title.trim(),
  description: details.description.trim(),
  venue: details.venue.trim(),
});

export function createEvent(id: string, organizerId: string, details: EventDetails, now: Date): Result<Event, DomainError> {
  const clean = trimmed(details);
  const issues = checkDetails(clean, now, true);
  if (issues.length > 0) return err(EventErrors.invalid(issues));
  return ok({
    ...clean,
    id,
    organizerId,
    status: 'draft',
    seatsTaken: 0,
    createdAt: new Date(now),
    updatedAt: new Date(now),
    version: 1,
  });
}

/**
 * Applies an organizer's changes. A start moved into the past is refused, but an event that is
 * already running can still have its description fixed. Capacity never drops below the seats
 * taken: attendees are not evicted by an edit. Changing nothing returns the same event, unversioned.
 */
export function reviseEvent(event: Event, changes: Partial<EventDetails>, now: Date): Result<Event, DomainError> {
  if (event.status === 'cancelled') return err(EventErrors.readOnly());
  const merged = trimmed({ ...detailsOf(event), ...definedOnly(changes) });
  const timesChanged = merged.startsAt.getTime() !== event.startsAt.getTime() || merged.endsAt.getTime() !== event.endsAt.getTime();
  const issues = checkDetails(merged, now, timesChanged);
  if (issues.length > 0) return err(EventErrors.invalid(issues));
  if (merged.capacity < event.seatsTaken) return err(EventErrors.capacityBelowSeatsTaken(event.seatsTaken));
  // A request that changes nothing must not make everyone else's copy stale.
  if (sameDetails(merged, detailsOf(event))) return ok(event);
  return ok({ ...event, ...merged, updatedAt: new Date(now), version: event.version + 1 });
}

export function publishEvent(event: Event, now: Date): Result<Event, DomainError> {
  if (event.status !== 'draft') return err(EventErrors.invalidTransition(`A ${event.status} event cannot be published`));
  if (event.startsAt <= now) return err(EventErrors.alreadyStarted());
  return ok({ ...event, status: 'published', updatedAt: new Date(now), version: event.version + 1 });
}

export function cancelEvent(event: Event, now: Date): Result<Event, DomainError> {
  if (event.status === 'draft') return err(EventErrors.invalidTransition('A draft is deleted, not cancelled'));
  if (event.status === 'cancelled') return err(EventErrors.invalidTransition('The event is already cancelled'));
  return ok({ ...event, status: 'cancelled', updatedAt: new Date(now), version: event.version + 1 });
}

export const detailsOf = (event: Event): EventDetails => ({
  title: event.title,
  description: event.description,
  venue: event.venue,
  startsAt: event.startsAt,
  endsAt: event.endsAt,
  capacity: event.capacity,
});

const sameDetails = (a: EventDetails, b: EventDetails): boolean =>
  a.title === b.title &&
  a.description === b.description &&
  a.venue === b.venue &&
  a.startsAt.getTime() === b.startsAt.getTime() &&
  a.endsAt.getTime() === b.endsAt.getTime() &&
  a.capacity === b.capacity;

function definedOnly<T extends object>(changes: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// ---- Seats: the one rule every path that takes a seat goes through (DESIGN §7, pretix). ----

export const seatsLeft = (event: Event): number => Math.max(event.capacity - event.seatsTaken, 0);
export const hasFreeSeat = (event: Event): boolean => event.seatsTaken < event.capacity;

/** Takes one seat. Callers check `hasFreeSeat` first; overbooking here is a bug, so it throws. */
export function takeSeat(event: Event): Event {
  if (!hasFreeSeat(event)) throw new Error(`event ${event.id} has no free seat (${event.seatsTaken}/${event.capacity})`);
  return { ...event, seatsTaken: event.seatsTaken + 1 };
}

export function freeSeat(event: Event): Event {
  if (event.seatsTaken <= 0) throw new Error(`event ${event.id} has no taken seat to free`);
  return { ...event, seatsTaken: event.seatsTaken - 1 };
}

/** Why a request to enroll now must be refused, or null when the event takes enrollments. */
export function enrollmentRefusal(event: Event | null, now: Date): RejectionReason | null {
  if (event === null) return RejectionReasons.eventNotFound;
  if (event.status === 'draft') return RejectionReasons.eventNotPublished;
  if (event.status === 'cancelled') return RejectionReasons.eventCancelled;
  if (event.startsAt <= now) return RejectionReasons.eventStarted;
  return null;
}

/** Waitlisted users are moved into free seats only while the event still takes enrollments. */
export const acceptsEnrollments = (event: Event, now: Date): boolean => enrollmentRefusal(event, now) === null;
