import type { InMemoryTransactions } from '@conference/kernel/testing';
import type { Event } from '../domain/event.js';
import type { CatalogEntry, EventCatalog } from '../ports/event-catalog.js';
import type { EventQuery } from '../ports/event-repository.js';
import type { Keyset, Slice } from '../ports/keyset.js';
import type { EventStoreState } from './event-store-state.js';
import { InMemoryEnrollmentRepository } from './in-memory-enrollment-repository.js';
import { InMemoryEventRepository } from './in-memory-event-repository.js';
import { InMemoryProgrammeRepository } from './in-memory-programme-repository.js';

/**
 * EventCatalog over the in-memory store. It queues behind the store's transactions, so it never sees
 * the half-done state of a unit of work still running (PostgreSQL shows a reader committed rows only),
 * and it answers with the repositories' own reads, so it cannot drift from what they hold.
 */
export class InMemoryEventCatalog implements EventCatalog {
  constructor(private readonly transactions: InMemoryTransactions<EventStoreState>) {}

  find(id: string): Promise<CatalogEntry | null> {
    return this.transactions.run(async (state) => {
      const current = () => state;
      const event = await new InMemoryEventRepository(current).findById(id);
      if (event === null) return null;
      const counts = await new InMemoryEnrollmentRepository(current).counts(id);
      return { event, waitlisted: counts.waitlisted, programme: await new InMemoryProgrammeRepository(current).listByEvent(id) };
    });
  }

  list(query: EventQuery, page: Keyset): Promise<Slice<Event>> {
    return this.transactions.run((state) => new InMemoryEventRepository(() => state).list(query, page));
  }
}
