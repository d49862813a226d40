import { expect } from 'chai';
import type { UnitOfWork } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import type { SessionQueries } from '../ports/session-queries.js';
import type { SessionRepository } from '../ports/session-repository.js';

/** What a SessionQueries adapter under test gives the suite; a fresh, empty store per call. */
export interface SessionQueriesFixture {
  readonly queries: SessionQueries;
  /** The unit of work of the same store, to put sessions in (and to hold a transaction open). */
  readonly uow: UnitOfWork<{ readonly sessions: SessionRepository }>;
  close?(): Promise<void>;
}

const uuid = (group: string, n: number): string => `00000000-0000-4000-${group}-${n.toString(16).padStart(12, '0')}`;
const sessionId = (n: number) => uuid('8000', n);
const speaker = (n: number) => uuid('9000', n);
const at = (hhmm: string) => new Date(`2026-05-04T${hhmm}:00.000Z`);

const session = (n: number, overrides: Partial<Session> = {}): Session => ({
  id: sessionId(n),
  eventId: uuid('a000', 1),
  ownerId: uuid('b000', 1),
  title: `Talk ${n}`,
  abstract: `About ${n}`,
  startsAt: at('09:00'),
  endsAt: at('10:00'),
  room: `Room ${n}`,
  speakerIds: [],
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  updatedAt: new Date('2026-01-02T03:04:05.678Z'),
  version: 1,
  ...overrides,
});

class RolledBack extends Error {}

/** Every SessionQueries adapter (in memory, PostgreSQL) must pass this. */
export function sessionQueriesContract(name: string, makeFixture: () => Promise<SessionQueriesFixture>): void {
  describe(`SessionQueries contract: ${name}`, () => {
    let fixture: SessionQueriesFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const insert = (...list: Session[]) => fixture.uow.run(async ({ sessions }) => { for (const s of list) await sessions.insert(s); });

    it('findById answers every field, to the millisecond, with the speakers in their order', async () => {
      const full = session(1, {
        startsAt: new Date('2026-05-04T09:15:30.123Z'),
        endsAt: new Date('2026-05-04T10:45:00.999Z'),
        speakerIds: [speaker(3), speaker(1), speaker(2)],
        version: 4,
      });
      const alone = session(2, { eventId: null, abstract: '' });
      await insert(full, alone);
      expect(await fixture.queries.findById(full.id)).to.deep.equal(full);
      expect(await fixture.queries.findById(alone.id)).to.deep.equal(alone);
    });

    it('findById accepts an upper-case id and answers it lowercase; null for an unknown id', async () => {
      await insert(session(1));
      expect((await fixture.queries.findById(sessionId(1).toUpperCase()))?.id).to.equal(sessionId(1));
      expect(await fixture.queries.findById(sessionId(9))).to.equal(null);
    });

    it('findByIds answers the known ones once each, in (startsAt, id) order; [] for []', async () => {
      await insert(session(3, { startsAt: at('08:00'), endsAt: at('09:00') }), session(1), session(2));
      const found = await fixture.queries.findByIds([sessionId(2), sessionId(9), sessionId(3), sessionId(1), sessionId(2).toUpperCase()]);
      expect(found.map((s) => s.id)).to.deep.equal([sessionId(3), sessionId(1), sessionId(2)]);
      expect(await fixture.queries.findByIds([])).to.deep.equal([]);
    });

    it('answers copies: changing one changes nothing stored', async () => {
      await insert(session(1, { speakerIds: [speaker(1)] }));
      const first = (await fixture.queries.findById(sessionId(1)))!;
      (first.speakerIds as string[]).push(speaker(2));
      (first as { title: string }).title = 'changed';
      expect(await fixture.queries.findById(sessionId(1))).to.deep.equal(session(1, { speakerIds: [speaker(1)] }));
    });

    // Adapters may read the finds of one moment in one statement: each caller still gets its own answer, and its own copy.
    it('answers many findById made at the same moment each for itself: known, unknown, the same session twice, upper case', async () => {
      await insert(session(1, { speakerIds: [speaker(1)] }), session(2));
      const asked = [sessionId(1), sessionId(9), sessionId(2), sessionId(1), sessionId(1).toUpperCase()];
      const answers = await Promise.all(asked.map((id) => fixture.queries.findById(id)));
      const one = session(1, { speakerIds: [speaker(1)] });
      expect(answers).to.deep.equal([one, null, session(2), one, one]);
      (answers[0]!.speakerIds as string[]).push(speaker(2));
      answers[0]!.startsAt.setTime(0);
      expect(answers[3]).to.deep.equal(one);
      expect(answers[4]).to.deep.equal(one);
    });

    it('sees what committed, never what a unit of work wrote and then rolled back', async () => {
      await insert(session(1));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => { written = resolve; });
      const rolledBack = fixture.uow.run(async ({ sessions }) => {
        await sessions.insert(session(2));
        await sessions.update({ ...session(1), title: 'uncommitted', version: 2 }, 1);
        written();
        await gate;
        throw new RolledBack();
      }).catch((error: unknown) => error);
      await wrote;
      // Asked while the unit of work is open: an adapter may answer now or once it ended, never in between.
      const during = Promise.all([fixture.queries.findById(sessionId(2)), fixture.queries.findById(sessionId(1)), fixture.queries.findByIds([sessionId(1), sessionId(2)])]);
      release();
      expect(await rolledBack).to.be.instanceOf(RolledBack);
      const [missing, first, both] = await during;
      expect(missing).to.equal(null);
      expect(first?.title).to.equal('Talk 1');
      expect(both.map((s) => s.id)).to.deep.equal([sessionId(1)]);
      expect(await fixture.queries.findById(sessionId(2))).to.equal(null);
    });
  });
}
