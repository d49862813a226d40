import type { UnitOfWork } from '@conference/kernel';
import type { Event } from '../domain/event.js';
import type { CatalogEntry, EventCatalog } from '../ports/event-catalog.js';
import type { EventQuery } from '../ports/event-repository.js';
import type { EventScope } from '../ports/event-scope.js';
import type { Keyset, Slice } from '../ports/keyset.js';

/**
 * EventCatalog answered through any unit of work, with the repositories' own reads (in PostgreSQL
 * a transaction of several statements). For compositions that swap the store's unit of work and
 * have no catalog of their own for it: a catalog that reads another store than the writes go to
 * would show stale or no events. A store with a real read path should bind that instead.
 */
export class UnitOfWorkEventCatalog implements EventCatalog {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  find(id: string): Promise<CatalogEntry | null> {
    return this.uow.run(async ({ events, enrollments, programme }) => {
      const event = await events.findById(id);
      if (event === null) return null;
      return { event, waitlisted: (await enrollments.counts(id)).waitlisted, programme: await programme.listByEvent(id) };
    });
  }

  list(query: EventQuery, page: Keyset): Promise<Slice<Event>> {
    return this.uow.run(({ events }) => events.list(query, page));
  }
}
