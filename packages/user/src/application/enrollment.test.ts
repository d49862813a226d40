import { expect } from 'chai';
import type { UnitOfWork } from '@conference/kernel';
import { decodeMessage } from '@conference/messages';
import type { UserScope } from '../ports/user-scope.js';
import { userTestKit } from '../testing/user-test-kit.js';

const EVENT = '7d4f1b7e-1f7e-4c2a-9a56-0f2d4f0b1c11';

describe('RequestEnrollment and CancelEnrollment', () => {
  it('answers pending and publishes exactly one user.enrolled with the user\'s contact details', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('Ada@Example.org', 'attendee', 'Ada Lovelace');
    const before = kit.published().length;
    kit.clock.advance(5 * 60_000);
    const result = await kit.requestEnrollment.execute({ actor: kit.actor(ada), eventId: EVENT });
    expect(result).to.deep.equal({ ok: true, value: { eventId: EVENT, userId: ada.id, status: 'pending' } });

    const added = kit.published().slice(before);
    expect(added).to.have.length(1);
    const decoded = decodeMessage(added[0]!.envelope);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value).to.deep.include({ type: 'user.enrolled', source: 'user-service', version: 1, occurredAt: '2026-03-02T09:05:00.000Z' });
    expect(decoded.value.data).to.deep.equal({
      userId: ada.id,
      eventId: EVENT,
      email: 'Ada@Example.org',
      name: 'Ada Lovelace',
      requestedAt: '2026-03-02T09:05:00.000Z',
    });
    expect(added[0]!.aggregateId).to.equal(ada.id);
  });

  it('publishes user.unenrolled for a cancellation and answers pending', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    await kit.requestEnrollment.execute({ actor: kit.actor(ada), eventId: EVENT });
    const result = await kit.cancelEnrollment.execute({ actor: kit.actor(ada), eventId: EVENT });
    expect(result).to.deep.equal({ ok: true, value: { eventId: EVENT, userId: ada.id, status: 'pending' } });
    const unenrolled = kit.published('user.unenrolled');
    expect(unenrolled).to.have.length(1);
    const decoded = decodeMessage(unenrolled[0]!.envelope);
    expect(decoded.ok && decoded.value.data).to.deep.equal({ userId: ada.id, eventId: EVENT, requestedAt: '2026-03-02T09:00:00.000Z' });
    // Same aggregate as the enrollment, so the relay keeps the two in order.
    expect(unenrolled[0]!.aggregateId).to.equal(kit.published('user.enrolled')[0]!.aggregateId);
  });

  it('refuses an event id that is not a UUID and publishes nothing', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    const before = kit.published().length;
    for (const useCase of [kit.requestEnrollment, kit.cancelEnrollment]) {
      const result = await useCase.execute({ actor: kit.actor(ada), eventId: 'event-1' });
      expect(result.ok ? null : result.error).to.include({ code: 'USER.INVALID_EVENT_ID', kind: 'validation' });
    }
    expect(kit.published()).to.have.length(before);
  });

  it('answers USER.NOT_FOUND for a token whose account is gone, publishing nothing', async () => {
    const kit = userTestKit();
    const result = await kit.requestEnrollment.execute({ actor: { userId: '00000000-0000-4000-8000-0000000000aa', role: 'attendee' }, eventId: EVENT });
    expect(result.ok ? null : result.error.code).to.equal('USER.NOT_FOUND');
    expect(kit.published()).to.deep.equal([]);
  });

  it('leaves no outbox message when the unit of work rolls back', async () => {
    let failCommit = false;
    const kit = userTestKit({
      uow: (store): UnitOfWork<UserScope> => ({
        run: (work) => store.uow.run(async (scope) => {
          const result = await work(scope);
          if (failCommit) throw new Error('connection lost before commit');
          return result;
        }),
      }),
    });
    const ada = await kit.seedUser('ada@example.org');
    const before = kit.published().length;
    failCommit = true;
    let thrown: unknown;
    try {
      await kit.requestEnrollment.execute({ actor: kit.actor(ada), eventId: EVENT });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error | undefined)?.message).to.equal('connection lost before commit');
    expect(kit.published()).to.have.length(before);
    expect(kit.published('user.enrolled')).to.deep.equal([]);
  });
});
