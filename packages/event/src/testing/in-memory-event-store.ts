import type { OutgoingMessage, UnitOfWork } from '@conference/kernel';
import { InMemoryInbox, InMemoryOutbox, InMemoryTransactions, InMemoryUnitOfWork } from '@conference/kernel/testing';
import type { EventCatalog } from '../ports/event-catalog.js';
import type { EventScope } from '../ports/event-scope.js';
import { emptyEventStoreState, type EventStoreState } from './event-store-state.js';
import { InMemoryEventCatalog } from './in-memory-event-catalog.js';
import { InMemoryEnrollmentRepository } from './in-memory-enrollment-repository.js';
import { InMemoryEventRepository } from './in-memory-event-repository.js';
import { InMemoryProgrammeRepository } from './in-memory-programme-repository.js';

/**
 * The event service's storage in memory: one unit of work at a time (which is what the row lock
 * gives PostgreSQL for one event), rolled back when the work throws.
 */
export class InMemoryEventStore {
  readonly transactions = new InMemoryTransactions<EventStoreState>(emptyEventStoreState());
  readonly uow: UnitOfWork<EventScope> = new InMemoryUnitOfWork(this.transactions, (state) => ({
    events: new InMemoryEventRepository(state),
    enrollments: new InMemoryEnrollmentRepository(state),
    programme: new InMemoryProgrammeRepository(state),
    outbox: new InMemoryOutbox(state),
    inbox: new InMemoryInbox(state),
  }));
  /** The read side over the same state (see InMemoryEventCatalog). */
  readonly catalog: EventCatalog = new InMemoryEventCatalog(this.transactions);

  get state(): EventStoreState {
    return this.transactions.state;
  }

  /** Messages written to the outbox so far, oldest first. */
  outbox(): readonly OutgoingMessage[] {
    return this.transactions.state.outbox;
  }
}
