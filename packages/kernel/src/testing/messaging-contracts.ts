import { expect } from 'chai';
import type { Inbox, Outbox, OutgoingMessage } from '../messages.js';
import type { UnitOfWork } from '../unit-of-work.js';

/** What a messaging adapter under test exposes to the contract suites. */
export interface MessagingFixture {
  readonly uow: UnitOfWork<{ outbox: Outbox; inbox: Inbox }>;
  /** Messages the outbox holds that are not yet published, oldest first. */
  pending(): Promise<readonly OutgoingMessage[]>;
  close?(): Promise<void>;
}

const message = (id: string, aggregateId = 'agg-1'): OutgoingMessage => ({
  aggregateId,
  envelope: {
    id,
    type: 'test.happened',
    version: 1,
    occurredAt: '2026-01-01T09:00:00.000Z',
    source: 'contract-test',
    correlationId: 'corr-1',
    causationId: null,
    data: { n: 1, nested: { ok: true } },
  },
});

/** Every Outbox adapter must pass this (keyv-style: the same cases for every implementation). */
export function outboxContract(name: string, makeFixture: () => Promise<MessagingFixture>): void {
  describe(`Outbox contract: ${name}`, () => {
    let fixture: MessagingFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    it('keeps a message added in a committed unit of work, exactly once', async () => {
      await fixture.uow.run(async ({ outbox }) => outbox.add(message('00000000-0000-4000-8000-00000000000a')));
      const pending = await fixture.pending();
      expect(pending.map((m) => m.envelope.id)).to.deep.equal(['00000000-0000-4000-8000-00000000000a']);
      expect(pending[0]).to.deep.equal(message('00000000-0000-4000-8000-00000000000a'));
    });

    it('leaves no message behind when the unit of work throws', async () => {
      let thrown: unknown;
      try {
        await fixture.uow.run(async ({ outbox }) => {
          await outbox.add(message('00000000-0000-4000-8000-00000000000b'));
          throw new Error('boom');
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect(await fixture.pending()).to.deep.equal([]);
    });

    it('keeps messages in the order they were added', async () => {
      await fixture.uow.run(async ({ outbox }) => {
        await outbox.add(message('00000000-0000-4000-8000-000000000001'), message('00000000-0000-4000-8000-000000000002'));
        await outbox.add(message('00000000-0000-4000-8000-000000000003', 'agg-2'));
      });
      const ids = (await fixture.pending()).map((m) => m.envelope.id);
      expect(ids).to.deep.equal([
        '00000000-0000-4000-8000-000000000001',
        '00000000-0000-4000-8000-000000000002',
        '00000000-0000-4000-8000-000000000003',
      ]);
    });
  });
}

/** Every Inbox adapter must pass this. */
export function inboxContract(name: string, makeFixture: () => Promise<MessagingFixture>): void {
  describe(`Inbox contract: ${name}`, () => {
    let fixture: MessagingFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    it('records a message id once and refuses it the second time', async () => {
      const id = '00000000-0000-4000-8000-0000000000c1';
      expect(await fixture.uow.run(({ inbox }) => inbox.record('svc.purpose', id))).to.equal(true);
      expect(await fixture.uow.run(({ inbox }) => inbox.record('svc.purpose', id))).to.equal(false);
    });

    it('keeps consumers apart: one id may be processed once by each consumer', async () => {
      const id = '00000000-0000-4000-8000-0000000000c2';
      expect(await fixture.uow.run(({ inbox }) => inbox.record('a.first', id))).to.equal(true);
      expect(await fixture.uow.run(({ inbox }) => inbox.record('b.second', id))).to.equal(true);
    });

    it('forgets the record when the unit of work throws, so the message can be processed again', async () => {
      const id = '00000000-0000-4000-8000-0000000000c3';
      try {
        await fixture.uow.run(async ({ inbox }) => {
          await inbox.record('svc.purpose', id);
          throw new Error('handler failed');
        });
      } catch {
        // expected
      }
      expect(await fixture.uow.run(({ inbox }) => inbox.record('svc.purpose', id))).to.equal(true);
    });

    describe('recordMany', () => {
      const id = (n: number) => `00000000-0000-4000-8000-0000000001${n.toString(16).padStart(2, '0')}`;

      it('returns the ids not processed before, once each, and records them', async () => {
        expect(await fixture.uow.run(({ inbox }) => inbox.record('svc.purpose', id(2)))).to.equal(true);
        const fresh = await fixture.uow.run(({ inbox }) => inbox.recordMany('svc.purpose', [id(3), id(1), id(2), id(3)]));
        expect([...fresh].sort()).to.deep.equal([id(1), id(3)]);
        expect(await fixture.uow.run(({ inbox }) => inbox.record('svc.purpose', id(1)))).to.equal(false);
        expect(await fixture.uow.run(({ inbox }) => inbox.record('svc.purpose', id(3)))).to.equal(false);
      });

      it('keeps consumers apart and takes an empty list', async () => {
        await fixture.uow.run(({ inbox }) => inbox.recordMany('a.first', [id(4)]));
        expect([...(await fixture.uow.run(({ inbox }) => inbox.recordMany('b.second', [id(4)])))]).to.deep.equal([id(4)]);
        expect((await fixture.uow.run(({ inbox }) => inbox.recordMany('b.second', []))).size).to.equal(0);
      });

      it('forgets every record when the unit of work throws', async () => {
        try {
          await fixture.uow.run(async ({ inbox }) => {
            await inbox.recordMany('svc.purpose', [id(5), id(6)]);
            throw new Error('handler failed');
          });
        } catch {
          // expected
        }
        expect((await fixture.uow.run(({ inbox }) => inbox.recordMany('svc.purpose', [id(6), id(5)]))).size).to.equal(2);
      });
    });
  });
}
