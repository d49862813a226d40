import { expect } from 'chai';
import sinon from 'sinon';
import { decodeMessage } from '@conference/messages';
import type { DomainError } from '@conference/kernel';
import { at, attendee, admin, eventId, makeTestbed, organizer, speakerId, type Testbed } from './testbed.js';

const failure = (result: { ok: boolean; error?: DomainError }): DomainError => {
  expect(result.ok, 'expected a failure').to.equal(false);
  return result.error!;
};

describe('CreateSession', () => {
  let t: Testbed;
  beforeEach(() => { t = makeTestbed(); });

  it('lets an organizer create a session, stores it at version 1 and publishes session.created', async () => {
    const result = await t.create.execute(t.draft({ title: '  Typed actors  ', speakerIds: [speakerId(2), speakerId(1)] }));
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    const session = result.value;
    expect(session).to.deep.include({ eventId: eventId(1), ownerId: organizer.userId, title: 'Typed actors', room: 'Room A', version: 1 });
    expect(session.speakerIds).to.deep.equal([speakerId(2), speakerId(1)]);
    expect(session.createdAt.toISOString()).to.equal('2026-03-01T08:00:00.000Z');
    expect(await t.stored(session.id)).to.deep.equal(session);

    expect(t.outbox()).to.have.length(1);
    const decoded = decodeMessage(JSON.parse(JSON.stringify(t.outbox()[0]!.envelope)));
    expect(decoded.ok, 'session.created conforms to @conference/messages').to.equal(true);
    expect(t.outbox()[0]!.aggregateId).to.equal(session.id);
    expect(t.outbox()[0]!.envelope).to.deep.include({ type: 'session.created', source: 'session-service' });
    expect(t.outbox()[0]!.envelope.data).to.deep.equal({
      sessionId: session.id,
      eventId: eventId(1),
      title: 'Typed actors',
      startsAt: '2026-05-04T10:00:00.000Z',
      endsAt: '2026-05-04T11:00:00.000Z',
      room: 'Room A',
      speakerIds: [speakerId(2), speakerId(1)],
      version: 1,
    });
  });

  it('lets an admin create a stand-alone session (no event)', async () => {
    const session = await t.given({ actor: admin, eventId: null });
    expect(session.eventId).to.equal(null);
    expect((t.outbox()[0]!.envelope.data as { eventId: unknown }).eventId).to.equal(null);
  });

  it('refuses an attendee before asking anyone anything', async () => {
    const error = failure(await t.create.execute(t.draft({ actor: attendee, speakerIds: [speakerId(1)] })));
    expect(error).to.deep.include({ code: 'SESSION.FORBIDDEN', kind: 'forbidden' });
    expect(t.directory.requests).to.deep.equal([]);
    expect(t.outbox()).to.deep.equal([]);
  });

  describe('times', () => {
    it('refuses a session that ends when or before it starts', async () => {
      for (const endsAt of [at('10:00'), at('09:59')]) {
        expect(failure(await t.create.execute(t.draft({ startsAt: at('10:00'), endsAt }))).code).to.equal('SESSION.ENDS_BEFORE_START');
      }
    });

    it('accepts exactly 24 hours and refuses a millisecond more', async () => {
      expect((await t.create.execute(t.draft({ startsAt: at('10:00'), endsAt: at('10:00', '2026-05-05') }))).ok).to.equal(true);
      const longer = new Date(at('10:00', '2026-05-05').getTime() + 1);
      const error = failure(await t.create.execute(t.draft({ room: 'Room B', startsAt: at('10:00'), endsAt: longer })));
      expect(error).to.deep.include({ code: 'SESSION.TOO_LONG', kind: 'validation' });
    });
  });

  it('refuses bad fields with every issue named and stores nothing', async () => {
    const error = failure(await t.create.execute(t.draft({ title: '   ', room: 'x'.repeat(101), speakerIds: [speakerId(1), speakerId(1)] })));
    expect(error.code).to.equal('SESSION.INVALID');
    expect(error.issues.map((i) => i.path)).to.deep.equal(['title', 'room', 'speakerIds[1]']);
    expect(t.store.transactions.state.sessions.size).to.equal(0);
  });

  describe('speakers', () => {
    it('refuses unknown speakers with 422 SESSION.UNKNOWN_SPEAKER naming every unknown id, and writes nothing', async () => {
      const ghost1 = speakerId(98);
      const ghost2 = speakerId(99);
      const error = failure(await t.create.execute(t.draft({ speakerIds: [speakerId(1), ghost1, ghost2] })));
      expect(error).to.deep.include({ code: 'SESSION.UNKNOWN_SPEAKER', kind: 'unprocessable' });
      expect(error.message).to.include(ghost1).and.to.include(ghost2);
      expect(error.issues).to.deep.equal([
        { path: 'speakerIds[1]', message: `no speaker with id ${ghost1}` },
        { path: 'speakerIds[2]', message: `no speaker with id ${ghost2}` },
      ]);
      expect(t.store.transactions.state.sessions.size).to.equal(0);
      expect(t.outbox()).to.deep.equal([]);
    });

    it('fails with unavailable when the speaker service cannot answer, and writes nothing', async () => {
      t.directory.setReachable(false);
      const error = failure(await t.create.execute(t.draft({ speakerIds: [speakerId(1)] })));
      expect(error).to.deep.include({ code: 'SESSION.SPEAKER_DIRECTORY_UNAVAILABLE', kind: 'unavailable' });
      expect(t.store.transactions.state.sessions.size).to.equal(0);
      expect(t.outbox()).to.deep.equal([]);
    });

    it('creates a session without speakers while the speaker service is down', async () => {
      t.directory.setReachable(false);
      expect((await t.create.execute(t.draft({ speakerIds: [] }))).ok).to.equal(true);
      expect(t.directory.requests).to.deep.equal([]);
    });

    it('asks the speaker service before opening the unit of work', async () => {
      const run = sinon.spy(t.store.uow, 'run');
      const ask = sinon.spy(t.directory, 'getSpeakers');
      await t.given({ speakerIds: [speakerId(1)] });
      expect(ask.calledOnce).to.equal(true);
      expect(run.calledOnce).to.equal(true);
      expect(ask.calledBefore(run)).to.equal(true);
    });
  });

  // [startsAt, endsAt] of a second booking against an existing 10:00–11:00 booking.
  const clashing: [string, string, string][] = [
    ['identical', '10:00', '11:00'],
    ['nested inside', '10:15', '10:45'],
    ['enclosing', '09:00', '12:00'],
    ['overlapping the start', '09:30', '10:30'],
    ['overlapping the end', '10:30', '11:30'],
    ['same start, ends later', '10:00', '11:30'],
    ['same end, starts earlier', '09:30', '11:00'],
  ];
  const touching: [string, string, string][] = [
    ['ending when it starts', '09:00', '10:00'],
    ['starting when it ends', '11:00', '12:00'],
  ];

  describe('speaker double booking', () => {
    for (const [name, from, to] of clashing) {
      it(`refuses a speaker booked again (${name}), naming the speaker and the other session`, async () => {
        const first = await t.given({ speakerIds: [speakerId(1)] });
        const error = failure(await t.create.execute(t.draft({ room: 'Room B', startsAt: at(from), endsAt: at(to), speakerIds: [speakerId(2), speakerId(1)] })));
        expect(error).to.deep.include({ code: 'SESSION.SPEAKER_DOUBLE_BOOKED', kind: 'conflict' });
        expect(error.message).to.include(speakerId(1)).and.to.include(first.id);
        expect(error.issues.map((i) => i.path)).to.deep.equal(['speakerIds[1]']);
        expect(t.types()).to.deep.equal(['session.created']);
      });
    }

    for (const [name, from, to] of touching) {
      it(`lets a speaker take a slot ${name} (half-open intervals)`, async () => {
        await t.given({ speakerIds: [speakerId(1)] });
        expect((await t.create.execute(t.draft({ startsAt: at(from), endsAt: at(to), speakerIds: [speakerId(1)] }))).ok).to.equal(true);
      });
    }

    it('finds clashes across events and with stand-alone sessions', async () => {
      await t.given({ eventId: eventId(2), speakerIds: [speakerId(1)] });
      await t.given({ eventId: null, startsAt: at('13:00'), endsAt: at('14:00'), speakerIds: [speakerId(2)] });
      expect(failure(await t.create.execute(t.draft({ eventId: eventId(3), speakerIds: [speakerId(1)] }))).code).to.equal('SESSION.SPEAKER_DOUBLE_BOOKED');
      expect(failure(await t.create.execute(t.draft({ eventId: null, speakerIds: [speakerId(1)] }))).code).to.equal('SESSION.SPEAKER_DOUBLE_BOOKED');
      expect(failure(await t.create.execute(t.draft({ startsAt: at('13:30'), endsAt: at('14:30'), speakerIds: [speakerId(2)] }))).code).to.equal(
        'SESSION.SPEAKER_DOUBLE_BOOKED',
      );
    });

    it('names every double-booked speaker', async () => {
      const a = await t.given({ speakerIds: [speakerId(1)] });
      const b = await t.given({ room: 'Room B', speakerIds: [speakerId(2)] });
      const error = failure(await t.create.execute(t.draft({ room: 'Room C', speakerIds: [speakerId(3), speakerId(2), speakerId(1)] })));
      expect(error.issues.map((i) => i.path)).to.deep.equal(['speakerIds[1]', 'speakerIds[2]']);
      expect(error.issues[0]!.message).to.include(b.id);
      expect(error.issues[1]!.message).to.include(a.id);
    });

    it('lets different speakers share a time', async () => {
      await t.given({ speakerIds: [speakerId(1)] });
      expect((await t.create.execute(t.draft({ room: 'Room B', speakerIds: [speakerId(2)] }))).ok).to.equal(true);
    });
  });

  describe('room double booking', () => {
    for (const [name, from, to] of clashing) {
      it(`refuses the same room of the same event booked again (${name})`, async () => {
        const first = await t.given();
        const error = failure(await t.create.execute(t.draft({ startsAt: at(from), endsAt: at(to) })));
        expect(error).to.deep.include({ code: 'SESSION.ROOM_DOUBLE_BOOKED', kind: 'conflict' });
        expect(error.message).to.include(first.id);
      });
    }

    for (const [name, from, to] of touching) {
      it(`lets the room be used in a slot ${name}`, async () => {
        await t.given();
        expect((await t.create.execute(t.draft({ startsAt: at(from), endsAt: at(to) }))).ok).to.equal(true);
      });
    }

    it('compares rooms trimmed and case-insensitively', async () => {
      await t.given({ room: 'Room A' });
      expect(failure(await t.create.execute(t.draft({ room: '  rOOm a ' }))).code).to.equal('SESSION.ROOM_DOUBLE_BOOKED');
    });

    it('lets another event use a room of the same name at the same time', async () => {
      await t.given({ eventId: eventId(1) });
      expect((await t.create.execute(t.draft({ eventId: eventId(2) }))).ok).to.equal(true);
    });

    it('never room-clashes a session without an event, with either kind of session', async () => {
      await t.given({ eventId: eventId(1) });
      expect((await t.create.execute(t.draft({ eventId: null }))).ok).to.equal(true);
      expect((await t.create.execute(t.draft({ eventId: null }))).ok).to.equal(true);
      expect(t.store.transactions.state.sessions.size).to.equal(3);
    });

    it('lets another room of the same event be used at the same time', async () => {
      await t.given({ room: 'Room A' });
      expect((await t.create.execute(t.draft({ room: 'Room B' }))).ok).to.equal(true);
    });
  });

  it('locks every speaker and the room before it looks for overlaps', async () => {
    const calls: string[] = [];
    t = makeTestbed({
      decorate: (scope) => ({
        ...scope,
        locks: { acquire: async (keys) => { calls.push(`lock ${keys.join(' ')}`); await scope.locks.acquire(keys); } },
        sessions: Object.assign(Object.create(scope.sessions) as typeof scope.sessions, {
          findSpeakerOverlaps: async (...args: Parameters<typeof scope.sessions.findSpeakerOverlaps>) => { calls.push('speakers?'); return scope.sessions.findSpeakerOverlaps(...args); },
          findRoomOverlaps: async (...args: Parameters<typeof scope.sessions.findRoomOverlaps>) => { calls.push('room?'); return scope.sessions.findRoomOverlaps(...args); },
        }),
      }),
    });
    await t.given({ room: ' Room A ', speakerIds: [speakerId(2), speakerId(1)] });
    expect(calls).to.deep.equal([
      `lock session:room:${eventId(1)}:room a session:speaker:${speakerId(1)} session:speaker:${speakerId(2)}`,
      'speakers?',
      'room?',
    ]);
  });

  it('leaves neither session nor message behind when the unit of work fails after writing', async () => {
    t = makeTestbed({
      decorate: (scope) => ({
        ...scope,
        outbox: { add: async (...messages) => { await scope.outbox.add(...messages); throw new Error('outbox write failed'); } },
      }),
    });
    let thrown: unknown;
    try {
      await t.create.execute(t.draft());
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).to.equal('outbox write failed');
    expect(t.store.transactions.state.sessions.size).to.equal(0);
    expect(t.outbox()).to.deep.equal([]);
  });
});
