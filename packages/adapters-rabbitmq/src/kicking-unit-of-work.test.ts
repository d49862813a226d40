import { expect } from 'chai';
import type { OutgoingMessage, Outbox, UnitOfWork } from '@conference/kernel';
import { KickingUnitOfWork } from './kicking-unit-of-work.js';

interface Scope {
  readonly outbox: Outbox;
  readonly notes: string[];
}

/** A unit of work that keeps what committed work added, and drops it when the work throws. */
function fakeUnitOfWork(): UnitOfWork<Scope> & { readonly committed: OutgoingMessage[] } {
  const committed: OutgoingMessage[] = [];
  return {
    committed,
    async run(work) {
      const pending: OutgoingMessage[] = [];
      const result = await work({ outbox: { add: async (...messages) => { pending.push(...messages); } }, notes: ['kept'] });
      committed.push(...pending);
      return result;
    },
  };
}

const message = { type: 'user.registered', aggregateId: 'a', data: {} } as unknown as OutgoingMessage;

describe('KickingUnitOfWork', () => {
  it('kicks after a unit of work that added to the outbox committed, and passes the result and the rest of the scope through', async () => {
    const inner = fakeUnitOfWork();
    const uow = new KickingUnitOfWork(inner);
    let kicks = 0;
    uow.kickAfterCommit({ kick: () => { kicks += 1; } });
    const result = await uow.run(async (scope) => {
      await scope.outbox.add(message);
      expect(kicks, 'not before the commit').to.equal(0);
      return scope.notes[0];
    });
    expect(result).to.equal('kept');
    expect(inner.committed).to.deep.equal([message]);
    expect(kicks).to.equal(1);
  });

  it('does not kick for work that wrote no message, nor for work that threw (rolled back), nor before a target is set', async () => {
    const uow = new KickingUnitOfWork(fakeUnitOfWork());
    await uow.run(async (scope) => scope.outbox.add(message)); // no target yet: passes through
    let kicks = 0;
    uow.kickAfterCommit({ kick: () => { kicks += 1; } });
    await uow.run(async (scope) => scope.notes.length);
    const failed = await uow.run(async (scope) => {
      await scope.outbox.add(message);
      throw new Error('rolled back');
    }).catch((error: Error) => error.message);
    expect(failed).to.equal('rolled back');
    expect(kicks).to.equal(0);
    uow.kickAfterCommit(null);
    await uow.run(async (scope) => scope.outbox.add(message));
    expect(kicks).to.equal(0);
  });
});
