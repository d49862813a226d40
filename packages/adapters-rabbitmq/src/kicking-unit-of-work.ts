import type { OutgoingMessage, Outbox, UnitOfWork } from '@conference/kernel';

/** What gets kicked: `ServiceMessaging` (or its `OutboxRelay`). */
export interface RelayKick {
  kick(): void;
}

/**
 * A UnitOfWork decorator for the hosts' postgres profile: once a unit of work that added messages
 * to its outbox has committed (`run` resolved), it kicks the relay, so the message goes out now
 * instead of at the relay's next tick. Work that wrote nothing to the outbox (every read) does
 * not kick, so reads never wake the relay. A unit of work that threw rolled back: no kick either.
 *
 * The relay exists only once messaging is composed (after the container, which binds this), so
 * the target is handed in later with `kickAfterCommit`; until then it only passes through.
 */
export class KickingUnitOfWork<Scope extends { readonly outbox: Outbox }> implements UnitOfWork<Scope> {
  private target: RelayKick | null = null;

  constructor(private readonly inner: UnitOfWork<Scope>) {}

  /** From now on, committed outbox writes kick `target` (null: stop kicking, e.g. after messaging stopped). */
  kickAfterCommit(target: RelayKick | null): void {
    this.target = target;
  }

  async run<T>(work: (scope: Scope) => Promise<T>): Promise<T> {
    let wrote = false;
    const result = await this.inner.run((scope) => {
      wrote = false; // per attempt: an inner unit of work may roll back and run the work again
      const outbox: Outbox = {
        add: (...messages: OutgoingMessage[]) => {
          if (messages.length > 0) wrote = true;
          return scope.outbox.add(...messages);
        },
      };
      // A proxy rather than a copy: the scope keeps its prototype, getters and identity for everything else.
      return work(new Proxy(scope, { get: (target, key, receiver) => (key === 'outbox' ? outbox : Reflect.get(target, key, receiver)) }));
    });
    if (wrote) this.target?.kick();
    return result;
  }
}
