import { expect } from 'chai';
import { decodeMessage } from '@conference/messages';
import { StaleVersionError } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import { at, eventId, makeTestbed, speakerId, type Testbed } from './testbed.js';

const MESSAGE_1 = '6d000000-0000-4000-8000-000000000001';
const MESSAGE_2 = '6d000000-0000-4000-8000-000000000002';

describe('DetachSpeaker (speaker.deleted)', () => {
  let t: Testbed;
  let sessions: Session[];
  beforeEach(async () => {
    t = makeTestbed();
    sessions = [
      await t.given({ speakerIds: [speakerId(1), speakerId(2)] }),
      await t.given({ eventId: eventId(2), startsAt: at('12:00'), endsAt: at('13:00'), speakerIds: [speakerId(1)] }),
      await t.given({ eventId: null, startsAt: at('14:00'), endsAt: at('15:00'), speakerIds: [speakerId(3), speakerId(1)] }),
      await t.given({ room: 'Room B', speakerIds: [speakerId(3)] }),
    ];
  });

  it('removes the speaker from every session, bumping each version and publishing session.updated for each', async () => {
    const result = await t.detach.execute({ messageId: MESSAGE_1, data: { speakerId: speakerId(1) } });
    expect(result).to.deep.equal({ ok: true, value: { duplicate: false, sessionIds: [sessions[0]!.id, sessions[1]!.id, sessions[2]!.id] } });
    expect((await t.stored(sessions[0]!.id))).to.deep.include({ speakerIds: [speakerId(2)], version: 2 });
    expect((await t.stored(sessions[1]!.id))).to.deep.include({ speakerIds: [], version: 2 });
    expect((await t.stored(sessions[2]!.id))).to.deep.include({ speakerIds: [speakerId(3)], version: 2 });
    expect((await t.stored(sessions[3]!.id))).to.deep.include({ speakerIds: [speakerId(3)], version: 1 });
    const updates = t.outbox().filter((m) => m.envelope.type === 'session.updated');
    expect(updates.map((m) => m.aggregateId)).to.deep.equal([sessions[0]!.id, sessions[1]!.id, sessions[2]!.id]);
    for (const m of updates) expect(decodeMessage(JSON.parse(JSON.stringify(m.envelope))).ok).to.equal(true);
    expect(updates.every((m) => !(m.envelope.data as { speakerIds: string[] }).speakerIds.includes(speakerId(1)))).to.equal(true);
  });

  it('changes nothing when the same message comes again', async () => {
    await t.detach.execute({ messageId: MESSAGE_1, data: { speakerId: speakerId(1) } });
    const outboxBefore = t.outbox().length;
    const stateBefore = structuredClone(t.store.transactions.state.sessions);
    const again = await t.detach.execute({ messageId: MESSAGE_1, data: { speakerId: speakerId(1) } });
    expect(again).to.deep.equal({ ok: true, value: { duplicate: true, sessionIds: [] } });
    expect(t.outbox().length).to.equal(outboxBefore);
    expect(t.store.transactions.state.sessions).to.deep.equal(stateBefore);
  });

  it('finds nothing left to detach under a different message for the same speaker', async () => {
    await t.detach.execute({ messageId: MESSAGE_1, data: { speakerId: speakerId(1) } });
    expect(await t.detach.execute({ messageId: MESSAGE_2, data: { speakerId: speakerId(1) } })).to.deep.equal({ ok: true, value: { duplicate: false, sessionIds: [] } });
  });

  it('records a message about a malformed speaker id without touching anything', async () => {
    const before = t.outbox().length;
    expect(await t.detach.execute({ messageId: MESSAGE_1, data: { speakerId: 'not-a-uuid' } })).to.deep.equal({ ok: true, value: { duplicate: false, sessionIds: [] } });
    expect(t.outbox().length).to.equal(before);
  });

  it('rolls everything back — sessions, messages and the inbox record — when one session fails, so a redelivery can finish the job', async () => {
    let updates = 0;
    let failOnce = true;
    const flaky = makeTestbed({
      decorate: (scope) => ({
        ...scope,
        sessions: Object.assign(Object.create(scope.sessions) as typeof scope.sessions, {
          update: async (session: Session, expected: number) => {
            updates += 1;
            // The second session of the detachment was changed concurrently.
            if (failOnce && updates === 2) throw new StaleVersionError('session', session.id);
            return scope.sessions.update(session, expected);
          },
        }),
      }),
    });
    const a = await flaky.given({ speakerIds: [speakerId(1)] });
    const b = await flaky.given({ room: 'Room B', startsAt: at('12:00'), endsAt: at('13:00'), speakerIds: [speakerId(1)] });
    const created = flaky.outbox().length;

    let thrown: unknown;
    try {
      await flaky.detach.execute({ messageId: MESSAGE_1, data: { speakerId: speakerId(1) } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(StaleVersionError);
    expect(flaky.outbox().length, 'no session.updated left in the outbox').to.equal(created);
    expect(await flaky.stored(a.id)).to.deep.include({ speakerIds: [speakerId(1)], version: 1 });

    failOnce = false;
    const retried = await flaky.detach.execute({ messageId: MESSAGE_1, data: { speakerId: speakerId(1) } });
    expect(retried).to.deep.equal({ ok: true, value: { duplicate: false, sessionIds: [a.id, b.id] } });
    expect(flaky.outbox().length).to.equal(created + 2);
  });
});
