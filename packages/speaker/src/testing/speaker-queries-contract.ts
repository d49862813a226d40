import { expect } from 'chai';
import type { UnitOfWork } from '@conference/kernel';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerQueries } from '../ports/speaker-queries.js';
import type { SpeakerRepository } from '../ports/speaker-repository.js';
import { aSpeaker, speakerId, userId } from './speaker-builders.js';

/** What a SpeakerQueries adapter under test gives the suite; a fresh, empty store per call. */
export interface SpeakerQueriesFixture {
  readonly queries: SpeakerQueries;
  /** The unit of work of the same store, to put speakers in (and to hold a transaction open). */
  readonly uow: UnitOfWork<{ readonly speakers: SpeakerRepository }>;
  close?(): Promise<void>;
}

const speaker = (n: number, overrides: Partial<Speaker> = {}): Speaker => aSpeaker(n, { headline: `Headline ${n}`, company: `Company ${n}`, ...overrides });

class RolledBack extends Error {}

/** Every SpeakerQueries adapter (in memory, PostgreSQL) must pass this. */
export function speakerQueriesContract(name: string, makeFixture: () => Promise<SpeakerQueriesFixture>): void {
  describe(`SpeakerQueries contract: ${name}`, () => {
    let fixture: SpeakerQueriesFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const insert = (...list: Speaker[]) => fixture.uow.run(async ({ speakers }) => { for (const s of list) await speakers.insert(s); });

    it('findById answers every field as stored; null for an unknown id', async () => {
      const full = speaker(1, {
        name: 'Ada Lovelace',
        bio: 'Ünïcödé "quoted"\nsecond line',
        links: [{ label: 'Site', url: 'https://ada.example' }],
        userId: userId(1),
        updatedAt: new Date('2026-02-03T04:05:06.789Z'),
        version: 3,
      });
      await insert(full);
      expect(await fixture.queries.findById(full.id)).to.deep.equal(full);
      expect(await fixture.queries.findById(speakerId(9))).to.equal(null);
    });

    it('findByIds answers the known ones once each and leaves unknown ids out; [] for []', async () => {
      await insert(speaker(1), speaker(2), speaker(3));
      const found = await fixture.queries.findByIds([speakerId(3), speakerId(9), speakerId(1), speakerId(3)]);
      expect(found.map((s) => s.id).sort()).to.deep.equal([speakerId(1), speakerId(3)]);
      expect(found.find((s) => s.id === speakerId(3))).to.deep.equal(speaker(3));
      expect(await fixture.queries.findByIds([])).to.deep.equal([]);
    });

    it('answers copies: changing one changes nothing stored', async () => {
      await insert(speaker(1, { links: [{ label: 'Site', url: 'https://one.example' }] }));
      const first = (await fixture.queries.findById(speakerId(1)))!;
      (first as { name: string }).name = 'changed';
      (first.links as Array<{ label: string; url: string }>).push({ label: 'x', url: 'https://x.example' });
      expect(await fixture.queries.findById(speakerId(1))).to.deep.equal(speaker(1, { links: [{ label: 'Site', url: 'https://one.example' }] }));
    });

    it('sees what committed, never what a unit of work wrote and then rolled back', async () => {
      await insert(speaker(1));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => { written = resolve; });
      const rolledBack = fixture.uow.run(async ({ speakers }) => {
        await speakers.insert(speaker(2));
        await speakers.update(speaker(1, { name: 'uncommitted', version: 2 }), 1);
        written();
        await gate;
        throw new RolledBack();
      }).catch((error: unknown) => error);
      await wrote;
      // Asked while the unit of work is open: an adapter may answer now or once it ended, never in between.
      const during = Promise.all([fixture.queries.findById(speakerId(2)), fixture.queries.findById(speakerId(1)), fixture.queries.findByIds([speakerId(1), speakerId(2)])]);
      release();
      expect(await rolledBack).to.be.instanceOf(RolledBack);
      const [missing, first, both] = await during;
      expect(missing).to.equal(null);
      expect(first?.name).to.equal('Speaker 1');
      expect(both.map((s) => s.id)).to.deep.equal([speakerId(1)]);
    });
  });
}
