import type { OutgoingMessage, UnitOfWork } from '@conference/kernel';
import { InMemoryOutbox, InMemoryTransactions, InMemoryUnitOfWork } from '@conference/kernel/testing';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerScope } from '../ports/speaker-scope.js';
import { InMemorySpeakerRepository, emptySpeakerState, type SpeakerState } from './in-memory-speaker-repository.js';

export interface InMemorySpeakerStoreOptions {
  /**
   * Wraps the scope each unit of work gets, e.g. to make a port fail or lose a race in a test.
   * Whatever the wrapped scope writes still rolls back when the work throws.
   */
  readonly decorate?: (scope: SpeakerScope) => SpeakerScope;
}

/**
 * The speaker context's whole persistence in memory: a UnitOfWork<SpeakerScope> whose throw rolls
 * back speakers and outbox together, plus read access to what was committed.
 */
export class InMemorySpeakerStore {
  readonly transactions = new InMemoryTransactions<SpeakerState>(emptySpeakerState());
  readonly uow: UnitOfWork<SpeakerScope>;

  constructor(options: InMemorySpeakerStoreOptions = {}) {
    const decorate = options.decorate ?? ((scope: SpeakerScope) => scope);
    this.uow = new InMemoryUnitOfWork(this.transactions, (state) =>
      decorate({ speakers: new InMemorySpeakerRepository(state), outbox: new InMemoryOutbox(state) }),
    );
  }

  /** Messages committed to the outbox, oldest first. */
  outbox(): readonly OutgoingMessage[] {
    return this.transactions.state.outbox;
  }

  /** Committed speakers, in no particular order. */
  speakers(): readonly Speaker[] {
    return [...this.transactions.state.speakers.values()];
  }
}
