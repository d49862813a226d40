import type { Inbox, Outbox, OutgoingMessage } from '../messages.js';
import type { UnitOfWork } from '../unit-of-work.js';

/**
 * Transactions for in-memory adapters: work runs one at a time (like SERIALIZABLE with no
 * contention), and the whole state is restored when the work throws, so rollback behaves as in
 * a database. `State` must be structured-cloneable (Maps, arrays, plain objects, Dates).
 */
export class InMemoryTransactions<State> {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(public state: State) {}

  run<T>(work: (state: State) => Promise<T>): Promise<T> {
    const next = this.tail.then(async () => {
      const before = structuredClone(this.state);
      try {
        return await work(this.state);
      } catch (error) {
        this.state = before;
        throw error;
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** The outbox and inbox tables of an in-memory store. */
export interface MessagingState {
  outbox: OutgoingMessage[];
  inbox: Map<string, Set<string>>;
}

export const emptyMessagingState = (): MessagingState => ({ outbox: [], inbox: new Map() });

export class InMemoryOutbox implements Outbox {
  constructor(private readonly state: () => MessagingState) {}
  async add(...messages: OutgoingMessage[]): Promise<void> {
    this.state().outbox.push(...structuredClone(messages));
  }
}

export class InMemoryInbox implements Inbox {
  constructor(private readonly state: () => MessagingState) {}
  async record(consumer: string, messageId: string): Promise<boolean> {
    const inbox = this.state().inbox;
    const seen = inbox.get(consumer) ?? new Set<string>();
    if (seen.has(messageId)) return false;
    seen.add(messageId);
    inbox.set(consumer, seen);
    return true;
  }

  async recordMany(consumer: string, messageIds: readonly string[]): Promise<ReadonlySet<string>> {
    const recorded = new Set<string>();
    for (const id of messageIds) if (await this.record(consumer, id)) recorded.add(id);
    return recorded;
  }
}

/** A UnitOfWork over InMemoryTransactions whose scope is built from the current state. */
export class InMemoryUnitOfWork<State, Scope> implements UnitOfWork<Scope> {
  constructor(
    private readonly transactions: InMemoryTransactions<State>,
    private readonly scopeOf: (state: () => State) => Scope,
  ) {}
  run<T>(work: (scope: Scope) => Promise<T>): Promise<T> {
    return this.transactions.run(() => work(this.scopeOf(() => this.transactions.state)));
  }
}
