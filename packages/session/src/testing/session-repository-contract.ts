import { expect } from 'chai';
import { DomainError, StaleVersionError, type UnitOfWork } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import type { SessionRepository } from '../ports/session-repository.js';

/** What a SessionRepository adapter under test gives the suite; a fresh, empty store per call. */
export interface SessionRepositoryFixture {
  readonly uow: UnitOfWork<{ readonly sessions: SessionRepository }>;
  close?(): Promise<void>;
}

const uuid = (group: string, n: number): string => `00000000-0000-4000-${group}-${n.toString(16).padStart(12, '0')}`;
const sessionId = (n: number) => uuid('8000', n);
const speaker = (n: number) => uuid('9000', n);
const event = (n: number) => uuid('a000', n);
const owner = uuid('b000', 1);
const at = (hhmm: string, day = '2026-05-04') => new Date(`${day}T${hhmm}:00.000Z`);

const session = (n: number, overrides: Partial<Session> = {}): Session => ({
  id: sessionId(n),
  eventId: event(1),
  ownerId: owner,
  title: `Talk ${n}`,
  abstract: `About ${n}`,
  startsAt: at('09:00'),
  endsAt: at('10:00'),
  room: 'Room A',
  speakerIds: [],
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  updatedAt: new Date('2026-01-02T03:04:05.678Z'),
  version: 1,
  ...overrides,
});

const ids = (sessions: readonly Session[]) => sessions.map((s) => s.id);

async function thrown(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Every SessionRepository adapter must pass this (keyv-style: same cases, any implementation). */
export function sessionRepositoryContract(name: string, makeFixture: () => Promise<SessionRepositoryFixture>): void {
  describe(`SessionRepository contract: ${name}`, () => {
    let fixture: SessionRepositoryFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const run = <T>(work: (sessions: SessionRepository) => Promise<T>): Promise<T> => fixture.uow.run(({ sessions }) => work(sessions));
    const insert = (...list: Session[]) => run(async (sessions) => { for (const s of list) await sessions.insert(s); });

    describe('insert and findById', () => {
      it('round-trips every field, to the millisecond, keeping speaker order', async () => {
        const full = session(1, {
          title: 'Typed actors — a tour',
          abstract: 'Ünïcödé, quotes " and \n newlines',
          startsAt: new Date('2026-05-04T09:15:30.123Z'),
          endsAt: new Date('2026-05-04T10:45:00.999Z'),
          room: 'Salle Étoile',
          speakerIds: [speaker(3), speaker(1), speaker(2)],
          createdAt: new Date('2026-01-02T03:04:05.678Z'),
          updatedAt: new Date('2026-01-03T03:04:05.001Z'),
          version: 7,
        });
        await insert(full);
        expect(await run((s) => s.findById(full.id))).to.deep.equal(full);
      });

      it('round-trips a stand-alone session with no speakers and an empty abstract', async () => {
        const alone = session(2, { eventId: null, speakerIds: [], abstract: '' });
        await insert(alone);
        expect(await run((s) => s.findById(alone.id))).to.deep.equal(alone);
      });

      it('returns null for an id it does not hold', async () => {
        await insert(session(1));
        expect(await run((s) => s.findById(sessionId(99)))).to.equal(null);
      });

      it('refuses a second insert of the same id with SESSION.ALREADY_EXISTS and keeps the first', async () => {
        await insert(session(1));
        const error = await thrown(() => insert(session(1, { title: 'Other' })));
        expect(error).to.be.instanceOf(DomainError);
        expect((error as DomainError).code).to.equal('SESSION.ALREADY_EXISTS');
        expect((error as DomainError).kind).to.equal('conflict');
        expect((await run((s) => s.findById(sessionId(1))))?.title).to.equal('Talk 1');
      });

      it('keeps nothing of a unit of work that throws', async () => {
        const error = await thrown(() =>
          run(async (sessions) => {
            await sessions.insert(session(1));
            throw new Error('boom');
          }),
        );
        expect((error as Error).message).to.equal('boom');
        expect(await run((s) => s.findById(sessionId(1)))).to.equal(null);
      });
    });

    describe('findByIds', () => {
      it('returns the sessions that exist, each once, in (startsAt, id) order', async () => {
        await insert(session(3, { startsAt: at('08:00'), endsAt: at('09:00') }), session(1, { startsAt: at('11:00'), endsAt: at('12:00') }), session(2));
        const found = await run((s) => s.findByIds([sessionId(1), sessionId(99), sessionId(3), sessionId(1)]));
        expect(ids(found)).to.deep.equal([sessionId(3), sessionId(1)]);
        expect(await run((s) => s.findByIds([]))).to.deep.equal([]);
      });
    });

    describe('update', () => {
      it('replaces every field when the stored version is the expected one', async () => {
        await insert(session(1, { speakerIds: [speaker(1)] }));
        const changed = session(1, {
          title: 'New title',
          abstract: 'New abstract',
          startsAt: at('13:00'),
          endsAt: at('14:30'),
          room: 'Room B',
          speakerIds: [speaker(2), speaker(1)],
          updatedAt: new Date('2026-02-01T00:00:00.001Z'),
          version: 2,
        });
        await run((s) => s.update(changed, 1));
        expect(await run((s) => s.findById(sessionId(1)))).to.deep.equal(changed);
      });

      it('can remove every speaker', async () => {
        await insert(session(1, { speakerIds: [speaker(1), speaker(2)] }));
        await run((s) => s.update(session(1, { speakerIds: [], version: 2 }), 1));
        expect((await run((s) => s.findById(sessionId(1))))?.speakerIds).to.deep.equal([]);
      });

      it('throws StaleVersionError and writes nothing when the stored version differs', async () => {
        await insert(session(1, { version: 3 }));
        const error = await thrown(() => run((s) => s.update(session(1, { title: 'Lost', version: 3 }), 2)));
        expect(error).to.be.instanceOf(StaleVersionError);
        expect((error as DomainError).code).to.equal('SESSION.STALE_VERSION');
        const stored = await run((s) => s.findById(sessionId(1)));
        expect(stored?.title).to.equal('Talk 1');
        expect(stored?.version).to.equal(3);
      });

      it('throws StaleVersionError when the session no longer exists', async () => {
        expect(await thrown(() => run((s) => s.update(session(1, { version: 2 }), 1)))).to.be.instanceOf(StaleVersionError);
      });
    });

    describe('delete', () => {
      it('deletes the session at the expected version', async () => {
        await insert(session(1, { speakerIds: [speaker(1)] }), session(2));
        await run((s) => s.delete(sessionId(1), 1));
        expect(await run((s) => s.findById(sessionId(1)))).to.equal(null);
        expect(await run((s) => s.findBySpeaker(speaker(1)))).to.deep.equal([]);
        expect(await run((s) => s.findById(sessionId(2)))).to.not.equal(null);
      });

      it('throws StaleVersionError and keeps the session when the version differs, or when it is gone', async () => {
        await insert(session(1, { version: 2 }));
        expect(await thrown(() => run((s) => s.delete(sessionId(1), 1)))).to.be.instanceOf(StaleVersionError);
        expect(await run((s) => s.findById(sessionId(1)))).to.not.equal(null);
        expect(await thrown(() => run((s) => s.delete(sessionId(99), 1)))).to.be.instanceOf(StaleVersionError);
      });
    });

    describe('list', () => {
      // Three sessions share 09:00, so the id decides their order.
      const programme = () => [
        session(5, { startsAt: at('09:00'), endsAt: at('10:00'), speakerIds: [speaker(1)] }),
        session(2, { startsAt: at('09:00'), endsAt: at('09:30'), room: 'Room B', eventId: event(2) }),
        session(7, { startsAt: at('09:00'), endsAt: at('11:00'), room: 'Room C', speakerIds: [speaker(2), speaker(1)] }),
        session(1, { startsAt: at('10:00'), endsAt: at('11:00'), speakerIds: [speaker(2)] }),
        session(4, { startsAt: at('08:00'), endsAt: at('09:00'), eventId: null }),
        session(3, { startsAt: at('12:00'), endsAt: at('13:00') }),
      ];

      it('orders by startsAt, then id', async () => {
        await insert(...programme());
        const all = await run((s) => s.list({ limit: 100 }));
        expect(ids(all)).to.deep.equal([4, 2, 5, 7, 1, 3].map(sessionId));
      });

      it('filters by event and by speaker', async () => {
        await insert(...programme());
        expect(ids(await run((s) => s.list({ eventId: event(1), limit: 100 })))).to.deep.equal([5, 7, 1, 3].map(sessionId));
        expect(ids(await run((s) => s.list({ eventId: event(2), limit: 100 })))).to.deep.equal([sessionId(2)]);
        expect(ids(await run((s) => s.list({ speakerId: speaker(1), limit: 100 })))).to.deep.equal([5, 7].map(sessionId));
        expect(ids(await run((s) => s.list({ speakerId: speaker(2), eventId: event(1), limit: 100 })))).to.deep.equal([7, 1].map(sessionId));
        expect(await run((s) => s.list({ speakerId: speaker(9), limit: 100 }))).to.deep.equal([]);
      });

      it('filters by time window: endsAt > from and startsAt < to (touching sessions are outside)', async () => {
        await insert(...programme());
        // 4 ends at 09:00 = from: out. 3 starts at 12:00 = to: out.
        expect(ids(await run((s) => s.list({ from: at('09:00'), limit: 100 })))).to.deep.equal([2, 5, 7, 1, 3].map(sessionId));
        expect(ids(await run((s) => s.list({ to: at('10:00'), limit: 100 })))).to.deep.equal([4, 2, 5, 7].map(sessionId));
        expect(ids(await run((s) => s.list({ from: at('09:45'), to: at('12:00'), limit: 100 })))).to.deep.equal([5, 7, 1].map(sessionId));
        // An instant: what is running at 10:30.
        expect(ids(await run((s) => s.list({ from: at('10:30'), to: at('10:30'), limit: 100 })))).to.deep.equal([7, 1].map(sessionId));
      });

      it('pages by (startsAt, id) keys without gaps or repeats, also with filters', async () => {
        await insert(...programme());
        const seen: string[] = [];
        let after: Session | null = null;
        for (let page = 0; page < 10; page++) {
          const key: { startsAt: Date; id: string } | null = after ? { startsAt: after.startsAt, id: after.id } : null;
          const items: Session[] = await run((s) => s.list({ after: key, limit: 2 }));
          if (items.length === 0) break;
          expect(items.length).to.be.at.most(2);
          seen.push(...ids(items));
          after = items[items.length - 1]!;
        }
        expect(seen).to.deep.equal([4, 2, 5, 7, 1, 3].map(sessionId));
        const afterFive = await run((s) => s.list({ eventId: event(1), after: { startsAt: at('09:00'), id: sessionId(5) }, limit: 100 }));
        expect(ids(afterFive)).to.deep.equal([7, 1, 3].map(sessionId));
      });

      it('puts a session added before the cursor nowhere in later pages', async () => {
        await insert(...programme());
        const first = await run((s) => s.list({ limit: 3 }));
        await insert(session(9, { startsAt: at('07:00'), endsAt: at('08:00') }));
        const last = first[first.length - 1]!;
        const rest = await run((s) => s.list({ after: { startsAt: last.startsAt, id: last.id }, limit: 100 }));
        expect(ids(rest)).to.deep.equal([7, 1, 3].map(sessionId));
      });
    });

    describe('findSpeakerOverlaps', () => {
      // Speaker 1 talks 10:00–11:00 in event 1.
      const booked = () => session(1, { startsAt: at('10:00'), endsAt: at('11:00'), speakerIds: [speaker(2), speaker(1)] });
      const slot = (from: string, to: string) => ({ startsAt: at(from), endsAt: at(to) });

      it('finds identical, nested, enclosing and partially overlapping slots', async () => {
        await insert(booked());
        for (const [from, to] of [['10:00', '11:00'], ['10:15', '10:45'], ['09:00', '12:00'], ['09:30', '10:30'], ['10:59', '11:30']] as const) {
          expect(ids(await run((s) => s.findSpeakerOverlaps([speaker(1)], slot(from, to), null))), `${from}–${to}`).to.deep.equal([sessionId(1)]);
        }
      });

      it('does not find touching slots on either side', async () => {
        await insert(booked());
        expect(await run((s) => s.findSpeakerOverlaps([speaker(1)], slot('09:00', '10:00'), null))).to.deep.equal([]);
        expect(await run((s) => s.findSpeakerOverlaps([speaker(1)], slot('11:00', '12:00'), null))).to.deep.equal([]);
      });

      it('looks across events and stand-alone sessions, for any of the speakers, each session once', async () => {
        await insert(
          booked(),
          session(2, { eventId: event(2), room: 'Elsewhere', startsAt: at('10:30'), endsAt: at('11:30'), speakerIds: [speaker(1)] }),
          session(3, { eventId: null, startsAt: at('09:30'), endsAt: at('10:30'), speakerIds: [speaker(3)] }),
          session(4, { startsAt: at('10:00'), endsAt: at('11:00'), speakerIds: [speaker(4)] }),
        );
        const found = await run((s) => s.findSpeakerOverlaps([speaker(1), speaker(2), speaker(3)], slot('10:00', '11:00'), null));
        expect(ids(found)).to.deep.equal([3, 1, 2].map(sessionId));
        expect(found.find((s) => s.id === sessionId(1))?.speakerIds).to.deep.equal([speaker(2), speaker(1)]);
      });

      it('leaves out the excluded session and answers [] for no speakers', async () => {
        await insert(booked());
        expect(await run((s) => s.findSpeakerOverlaps([speaker(1)], slot('10:00', '11:00'), sessionId(1)))).to.deep.equal([]);
        expect(await run((s) => s.findSpeakerOverlaps([], slot('10:00', '11:00'), null))).to.deep.equal([]);
      });
    });

    describe('findRoomOverlaps', () => {
      const slot = (from: string, to: string) => ({ startsAt: at(from), endsAt: at(to) });

      it('finds overlapping sessions of the same event in the same room, trimmed and case-insensitively', async () => {
        await insert(session(1, { room: 'Room A', startsAt: at('10:00'), endsAt: at('11:00') }));
        for (const room of ['Room A', 'room a', '  ROOM A  ']) {
          expect(ids(await run((s) => s.findRoomOverlaps(event(1), room, slot('10:00', '11:00'), null))), room).to.deep.equal([sessionId(1)]);
        }
        for (const [from, to] of [['10:15', '10:45'], ['09:00', '12:00'], ['10:30', '11:30']] as const) {
          expect(ids(await run((s) => s.findRoomOverlaps(event(1), 'Room A', slot(from, to), null))), `${from}–${to}`).to.deep.equal([sessionId(1)]);
        }
      });

      it('ignores touching slots, other rooms, other events, stand-alone sessions and the excluded session', async () => {
        await insert(
          session(1, { room: 'Room A', startsAt: at('10:00'), endsAt: at('11:00') }),
          session(2, { room: 'Room B', startsAt: at('10:00'), endsAt: at('11:00') }),
          session(3, { room: 'Room A', eventId: event(2), startsAt: at('10:00'), endsAt: at('11:00') }),
          session(4, { room: 'Room A', eventId: null, startsAt: at('10:00'), endsAt: at('11:00') }),
        );
        expect(await run((s) => s.findRoomOverlaps(event(1), 'Room A', slot('09:00', '10:00'), null))).to.deep.equal([]);
        expect(await run((s) => s.findRoomOverlaps(event(1), 'Room A', slot('11:00', '12:00'), null))).to.deep.equal([]);
        expect(ids(await run((s) => s.findRoomOverlaps(event(1), 'Room A', slot('10:00', '11:00'), null)))).to.deep.equal([sessionId(1)]);
        expect(await run((s) => s.findRoomOverlaps(event(1), 'Room A', slot('10:00', '11:00'), sessionId(1)))).to.deep.equal([]);
        expect(ids(await run((s) => s.findRoomOverlaps(event(2), 'room a', slot('10:30', '10:45'), null)))).to.deep.equal([sessionId(3)]);
      });
    });

    describe('findBySpeaker', () => {
      it('returns every session the speaker is in, in any event or none, in (startsAt, id) order', async () => {
        await insert(
          session(1, { startsAt: at('11:00'), endsAt: at('12:00'), speakerIds: [speaker(1), speaker(2)] }),
          session(2, { eventId: null, speakerIds: [speaker(1)] }),
          session(3, { eventId: event(2), speakerIds: [speaker(2)] }),
        );
        expect(ids(await run((s) => s.findBySpeaker(speaker(1))))).to.deep.equal([2, 1].map(sessionId));
        expect(ids(await run((s) => s.findBySpeaker(speaker(2))))).to.deep.equal([3, 1].map(sessionId));
        expect(await run((s) => s.findBySpeaker(speaker(9)))).to.deep.equal([]);
      });
    });
  });
}
