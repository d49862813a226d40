import { StaleVersionError } from '@conference/kernel';
import { ACTIVE_STATUSES } from '../domain/enrollment.js';
import { EventErrors } from '../domain/errors.js';
import type { Event } from '../domain/event.js';
import type { EventQuery, EventRepository, EventUpdate } from '../ports/event-repository.js';
import type { Keyset, Slice } from '../ports/keyset.js';
import type { EventStoreState } from './event-store-state.js';
import { sliceAfter } from './keyset-slice.js';

export class InMemoryEventRepository implements EventRepository {
  constructor(private readonly state: () => EventStoreState) {}

  async insert(event: Event): Promise<void> {
    const events = this.state().events;
    if (events.has(event.id)) throw EventErrors.alreadyExists(event.id);
    events.set(event.id, structuredClone(event));
  }

  async findById(id: string): Promise<Event | null> {
    const event = this.state().events.get(id);
    return event ? structuredClone(event) : null;
  }

  /** Units of work run one at a time in memory, so reading is already exclusive. */
  async findForUpdate(id: string): Promise<Event | null> {
    return this.findById(id);
  }

  async findManyForUpdate(ids: readonly string[]): Promise<readonly Event[]> {
    const events = this.state().events;
    const found = [...new Set(ids)].sort().flatMap((id) => {
      const event = events.get(id);
      return event ? [event] : [];
    });
    return structuredClone(found);
  }

  async updateMany(updates: readonly EventUpdate[]): Promise<void> {
    const events = this.state().events;
    // Every version is checked before anything is written, as one statement would.
    for (const { event, expectedVersion } of updates) {
      if (events.get(event.id)?.version !== expectedVersion) throw new StaleVersionError('event', event.id);
    }
    for (const { event } of updates) events.set(event.id, structuredClone(event));
  }

  async update(event: Event, expectedVersion: number): Promise<void> {
    const events = this.state().events;
    if (events.get(event.id)?.version !== expectedVersion) throw new StaleVersionError('event', event.id);
    events.set(event.id, structuredClone(event));
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    const events = this.state().events;
    if (events.get(id)?.version !== expectedVersion) throw new StaleVersionError('event', id);
    events.delete(id);
  }

  async list(query: EventQuery, page: Keyset): Promise<Slice<Event>> {
    const state = this.state();
    const needle = query.titleContains?.toLowerCase();
    const enrolledIn = query.enrolledUserId === undefined ? null : this.activeEventIdsOf(query.enrolledUserId);
    const matches = [...state.events.values()].filter(
      (event) =>
        (!query.statuses?.length || query.statuses.includes(event.status)) &&
        (event.status !== 'draft' || draftVisible(query, event)) &&
        (query.from === undefined || event.endsAt >= query.from) &&
        (query.to === undefined || event.startsAt < query.to) &&
        (needle === undefined || event.title.toLowerCase().includes(needle)) &&
        (query.organizerId === undefined || event.organizerId === query.organizerId) &&
        (enrolledIn === null || enrolledIn.has(event.id)),
    );
    const slice = sliceAfter(matches, (event) => ({ at: event.startsAt, id: event.id }), page);
    return { items: structuredClone(slice.items), hasMore: slice.hasMore };
  }

  private activeEventIdsOf(userId: string): Set<string> {
    const ids = new Set<string>();
    for (const enrollment of this.state().enrollments.values()) {
      if (enrollment.userId === userId && ACTIVE_STATUSES.includes(enrollment.status)) ids.add(enrollment.eventId);
    }
    return ids;
  }
}

function draftVisible(query: EventQuery, event: Event): boolean {
  switch (query.drafts.kind) {
    case 'all':
      return true;
    case 'own':
      return event.organizerId === query.drafts.organizerId;
    case 'none':
      return false;
  }
}
