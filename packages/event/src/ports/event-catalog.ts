import type { Event } from '../domain/event.js';
import type { ProgrammeEntry } from '../domain/programme.js';
import type { EventQuery } from './event-repository.js';
import type { Keyset, Slice } from './keyset.js';

/** What GET /api/events/:id shows of one event: the event, the length of its waitlist and its programme. */
export interface CatalogEntry {
  readonly event: Event;
  /** How many of the event's enrollments are waitlisted. */
  readonly waitlisted: number;
  /** Ordered by (startsAt, sessionId). */
  readonly programme: readonly ProgrammeEntry[];
}

/**
 * Port: the read side of events for visitors — what the public pages ask most, answered outside any
 * unit of work. Writes never go through it, so it takes no lock and needs no transaction: each call
 * reads one consistent snapshot of committed state (in PostgreSQL one statement).
 *
 * Visibility (drafts) is not its business for `find`: it returns drafts too and the use case decides;
 * `list` filters them as `query.drafts` says, exactly as EventRepository.list does. Returned values
 * are copies; dates round-trip to the millisecond. An unknown id, or one that is not a UUID, is null.
 */
export interface EventCatalog {
  find(id: string): Promise<CatalogEntry | null>;
  /** The same events, in the same order and pages, as EventRepository.list for the same arguments. */
  list(query: EventQuery, page: Keyset): Promise<Slice<Event>>;
}
