import type { Event, EventStatus } from '../domain/event.js';
import type { Keyset, Slice } from './keyset.js';

/** Which drafts a listing may include: every draft (admins), one organizer's own, or none. */
export type DraftVisibility =
  | { readonly kind: 'all' }
  | { readonly kind: 'own'; readonly organizerId: string }
  | { readonly kind: 'none' };

export interface EventQuery {
  /** Any of these statuses; absent or empty means every status (drafts still subject to `drafts`). */
  readonly statuses?: readonly EventStatus[];
  /** Only events still running at or after this time: endsAt >= from. */
  readonly from?: Date;
  /** Only events that start before this time: startsAt < to. */
  readonly to?: Date;
  /** Title contains this text, case-insensitively and literally (`%` and `_` are not wildcards). */
  readonly titleContains?: string;
  /** Only this organizer's events. */
  readonly organizerId?: string;
  /** Only events in which this user is enrolled or waitlisted. */
  readonly enrolledUserId?: string;
  readonly drafts: DraftVisibility;
}

/** One event to write back and the version it must still have (see EventRepository.update). */
export interface EventUpdate {
  readonly event: Event;
  readonly expectedVersion: number;
}

/**
 * Port: the events table.
 *
 * Ids are lowercase UUIDs (the use cases check them before asking). Returned events are copies:
 * changing one changes nothing stored. Dates round-trip to the millisecond.
 *
 * Concurrency: `findForUpdate` holds the event locked until the unit of work ends (in PostgreSQL
 * `SELECT … FOR UPDATE`). Every path that changes an event reads it through `findForUpdate` —
 * above all every path that takes or frees a seat (enrollment, unenrollment, promotion, a capacity
 * change) — so seatsTaken is never lost or pushed above capacity, also with many instances
 * handling enrollments for the same event at once. `update` additionally checks the version.
 */
export interface EventRepository {
  /** Stores a new event. Throws a DomainError of kind `conflict`, code `EVENT.ALREADY_EXISTS`, when the id is taken. */
  insert(event: Event): Promise<void>;
  /** The event, or null when there is none. Takes no lock. */
  findById(id: string): Promise<Event | null>;
  /** The event locked for the rest of the unit of work (see above), or null when there is none. */
  findForUpdate(id: string): Promise<Event | null>;
  /**
   * findForUpdate for many events in one go: the events among `ids` that exist (ids that cannot be
   * an event's are skipped), each locked for the rest of the unit of work, in ascending id order.
   * Locks are taken in that order, so units of work locking overlapping sets of events (batches on
   * different instances) wait for each other instead of deadlocking; every other path locks one event.
   */
  findManyForUpdate(ids: readonly string[]): Promise<readonly Event[]>;
  /**
   * Replaces the stored event with `event` (every field, including the version it carries) when the
   * stored version equals `expectedVersion`. Throws the kernel's StaleVersionError (code
   * `EVENT.STALE_VERSION`) when it differs or the event no longer exists.
   */
  update(event: Event, expectedVersion: number): Promise<void>;
  /**
   * update for many events in one go (at most one update per event). Throws StaleVersionError for
   * the first whose stored version differs from its `expectedVersion` (or that no longer exists);
   * the unit of work then rolls back, so none of them stays written.
   */
  updateMany(updates: readonly EventUpdate[]): Promise<void>;
  /** Deletes the event if its stored version equals `expectedVersion`; throws StaleVersionError otherwise (or when missing). */
  delete(id: string, expectedVersion: number): Promise<void>;
  /** Events matching the query, ordered by (startsAt, id) ascending, strictly after `page.after`. */
  list(query: EventQuery, page: Keyset): Promise<Slice<Event>>;
}
