import { expect } from 'chai';
import { StaleVersionError, type UnitOfWork } from '@conference/kernel';
import { UserAlreadyLinkedError } from '../domain/errors.js';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerRepository } from '../ports/speaker-repository.js';
import type { SpeakerScope } from '../ports/speaker-scope.js';
import { aSpeaker, speakerId, userId } from './speaker-builders.js';

/** What an adapter under test gives the SpeakerRepository contract suite: a fresh, empty store. */
export interface SpeakerRepositoryFixture {
  readonly uow: UnitOfWork<Pick<SpeakerScope, 'speakers'>>;
  close?(): Promise<void>;
}

const speaker = aSpeaker;

/**
 * Every SpeakerRepository adapter must pass this suite (keyv-style): the same cases run against
 * the in-memory adapter and against PostgreSQL. `makeFixture` must return an empty store.
 */
export function speakerRepositoryContract(name: string, makeFixture: () => Promise<SpeakerRepositoryFixture>): void {
  describe(`SpeakerRepository contract: ${name}`, () => {
    let fixture: SpeakerRepositoryFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const repo = <T>(work: (speakers: SpeakerRepository) => Promise<T>): Promise<T> =>
      fixture.uow.run(({ speakers }) => work(speakers));
    const insertAll = (...all: Speaker[]) => repo(async (speakers) => { for (const s of all) await speakers.insert(s); });
    const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
      try {
        await promise;
      } catch (error) {
        return error;
      }
      throw new Error('expected the operation to throw');
    };
    const ids = (speakers: readonly Speaker[]) => speakers.map((s) => s.id);

    describe('insert and find', () => {
      it('gives back every field exactly as stored, links and user link included', async () => {
        const full = speaker(1, {
          name: 'Ada Lovelace',
          headline: 'Analyst of engines',
          bio: 'Wrote the first program.\nSecond line — ünïcödé ✓ "quotes" \'and\' \\ backslash',
          company: 'Analytical Engines Ltd',
          links: [
            { label: 'Site', url: 'https://ada.example/' },
            { label: 'Mastodon', url: 'http://social.example/@ada?x=1&y=%20#top' },
          ],
          userId: userId(1),
          createdBy: userId(2),
          createdAt: new Date('2026-01-02T03:04:05.678Z'),
          updatedAt: new Date('2026-02-03T04:05:06.789Z'),
          version: 7,
        });
        await insertAll(full);
        expect(await repo((s) => s.findById(full.id))).to.deep.equal(full);
      });

      it('keeps an empty link list and a profile with no user', async () => {
        const bare = speaker(2);
        await insertAll(bare);
        const found = await repo((s) => s.findById(bare.id));
        expect(found).to.deep.equal(bare);
        expect(found?.userId).to.equal(null);
        expect(found?.links).to.deep.equal([]);
      });

      it('returns null for an id that names no speaker', async () => {
        await insertAll(speaker(1));
        expect(await repo((s) => s.findById(speakerId(99)))).to.equal(null);
      });

      it('finds a profile by its linked user, and null for a user with none', async () => {
        await insertAll(speaker(1, { userId: userId(1) }), speaker(2));
        expect((await repo((s) => s.findByUserId(userId(1))))?.id).to.equal(speakerId(1));
        expect(await repo((s) => s.findByUserId(userId(5)))).to.equal(null);
      });

      it('refuses a second profile for the same user with UserAlreadyLinkedError and keeps the first', async () => {
        await insertAll(speaker(1, { userId: userId(1) }));
        const error = await rejection(insertAll(speaker(2, { userId: userId(1) })));
        expect(error).to.be.instanceOf(UserAlreadyLinkedError);
        expect((error as UserAlreadyLinkedError).code).to.equal('SPEAKER.USER_ALREADY_LINKED');
        expect(await repo((s) => s.findById(speakerId(2)))).to.equal(null);
        expect((await repo((s) => s.findByUserId(userId(1))))?.id).to.equal(speakerId(1));
      });

      it('lets any number of profiles have no user', async () => {
        await insertAll(speaker(1), speaker(2), speaker(3));
        expect(await repo((s) => s.findByIds([speakerId(1), speakerId(2), speakerId(3)]))).to.have.length(3);
      });

      it('refuses a duplicate id', async () => {
        await insertAll(speaker(1));
        expect(await rejection(insertAll(speaker(1, { name: 'Other' })))).to.be.instanceOf(Error);
        expect((await repo((s) => s.findById(speakerId(1))))?.name).to.equal('Speaker 1');
      });
    });

    describe('findByIds', () => {
      it('returns each existing speaker once, leaving out missing ids and collapsing duplicates', async () => {
        await insertAll(speaker(1), speaker(2), speaker(3));
        const found = await repo((s) => s.findByIds([speakerId(3), speakerId(98), speakerId(1), speakerId(3), speakerId(99)]));
        expect(ids(found).sort()).to.deep.equal([speakerId(1), speakerId(3)]);
        expect(found.find((s) => s.id === speakerId(3))).to.deep.equal(speaker(3));
      });

      it('returns nothing for an empty list or only missing ids', async () => {
        await insertAll(speaker(1));
        expect(await repo((s) => s.findByIds([]))).to.deep.equal([]);
        expect(await repo((s) => s.findByIds([speakerId(50)]))).to.deep.equal([]);
      });
    });

    describe('update', () => {
      it('replaces every field when the stored version is the expected one', async () => {
        await insertAll(speaker(1, { userId: userId(1) }));
        const next = speaker(1, {
          name: 'Grace Hopper',
          headline: 'Rear admiral',
          bio: 'COBOL',
          company: 'US Navy',
          links: [{ label: 'Bio', url: 'https://grace.example/bio' }],
          userId: userId(2),
          updatedAt: new Date('2026-03-01T10:00:00.001Z'),
          version: 2,
        });
        await repo((s) => s.update(next, 1));
        expect(await repo((s) => s.findById(speakerId(1)))).to.deep.equal(next);
        expect(await repo((s) => s.findByUserId(userId(1)))).to.equal(null);
      });

      it('throws StaleVersionError and changes nothing when the version moved on', async () => {
        await insertAll(speaker(1, { version: 3 }));
        const error = await rejection(repo((s) => s.update(speaker(1, { name: 'Late', version: 3 }), 2)));
        expect(error).to.be.instanceOf(StaleVersionError);
        expect((error as StaleVersionError).code).to.equal('SPEAKER.STALE_VERSION');
        expect(await repo((s) => s.findById(speakerId(1)))).to.deep.equal(speaker(1, { version: 3 }));
      });

      it('throws StaleVersionError when the speaker is gone', async () => {
        expect(await rejection(repo((s) => s.update(speaker(4, { version: 2 }), 1)))).to.be.instanceOf(StaleVersionError);
        expect(await repo((s) => s.findById(speakerId(4)))).to.equal(null);
      });

      it('throws UserAlreadyLinkedError when linking a user who has another profile', async () => {
        await insertAll(speaker(1, { userId: userId(1) }), speaker(2));
        const error = await rejection(repo((s) => s.update(speaker(2, { userId: userId(1), version: 2 }), 1)));
        expect(error).to.be.instanceOf(UserAlreadyLinkedError);
        expect(await repo((s) => s.findById(speakerId(2)))).to.deep.equal(speaker(2));
      });

      it('frees the user of an unlinked profile for another one', async () => {
        await insertAll(speaker(1, { userId: userId(1) }), speaker(2));
        await repo(async (s) => {
          await s.update(speaker(1, { userId: null, version: 2 }), 1);
          await s.update(speaker(2, { userId: userId(1), version: 2 }), 1);
        });
        expect((await repo((s) => s.findByUserId(userId(1))))?.id).to.equal(speakerId(2));
      });
    });

    describe('delete', () => {
      it('removes the speaker and frees its user', async () => {
        await insertAll(speaker(1, { userId: userId(1), version: 2 }), speaker(2));
        await repo((s) => s.delete(speakerId(1), 2));
        expect(await repo((s) => s.findById(speakerId(1)))).to.equal(null);
        expect(await repo((s) => s.findById(speakerId(2)))).to.deep.equal(speaker(2));
        await insertAll(speaker(3, { userId: userId(1) }));
        expect((await repo((s) => s.findByUserId(userId(1))))?.id).to.equal(speakerId(3));
      });

      it('throws StaleVersionError and keeps the speaker when the version moved on', async () => {
        await insertAll(speaker(1, { version: 2 }));
        expect(await rejection(repo((s) => s.delete(speakerId(1), 1)))).to.be.instanceOf(StaleVersionError);
        expect(await repo((s) => s.findById(speakerId(1)))).to.deep.equal(speaker(1, { version: 2 }));
      });

      it('throws StaleVersionError when the speaker is already gone', async () => {
        expect(await rejection(repo((s) => s.delete(speakerId(1), 1)))).to.be.instanceOf(StaleVersionError);
      });
    });

    describe('list', () => {
      // Names differ only by case; ids are inserted out of order so insertion order cannot pass for sorting.
      const crowd = [
        speaker(5, { name: 'alice' }),
        speaker(2, { name: 'ALICE' }),
        speaker(9, { name: 'Alice' }),
        speaker(1, { name: 'carol' }),
        speaker(7, { name: 'Bob' }),
        speaker(3, { name: 'bob' }),
      ];
      const expectedOrder = [speakerId(2), speakerId(5), speakerId(9), speakerId(3), speakerId(7), speakerId(1)];

      const walk = async (limit: number, q: string | null = null): Promise<string[]> => {
        const seen: string[] = [];
        let after: { name: string; id: string } | null = null;
        for (let guard = 0; guard < 100; guard++) {
          const page: Speaker[] = await repo((s) => s.list({ q, after, limit }));
          expect(page.length).to.be.at.most(limit);
          seen.push(...ids(page));
          const last = page[page.length - 1];
          if (page.length < limit || !last) return seen;
          after = { name: last.name, id: last.id };
        }
        throw new Error('pagination did not end');
      };

      it('orders by name ignoring case, then by id', async () => {
        await insertAll(...crowd);
        expect(ids(await repo((s) => s.list({ limit: 50 })))).to.deep.equal(expectedOrder);
      });

      it('pages through names that differ only by case without repeats or gaps, at every page size', async () => {
        await insertAll(...crowd);
        for (const limit of [1, 2, 4, 6]) expect(await walk(limit), `limit ${limit}`).to.deep.equal(expectedOrder);
      });

      it('returns at most limit speakers, strictly after the given position', async () => {
        await insertAll(...crowd);
        const page = await repo((s) => s.list({ limit: 2, after: { name: 'ALICE', id: speakerId(5) } }));
        expect(ids(page)).to.deep.equal([speakerId(9), speakerId(3)]);
      });

      it('continues after a position whose speaker was deleted or renamed meanwhile', async () => {
        await insertAll(...crowd);
        await repo((s) => s.delete(speakerId(9), 1));
        const page = await repo((s) => s.list({ limit: 10, after: { name: 'Alice', id: speakerId(9) } }));
        expect(ids(page)).to.deep.equal([speakerId(3), speakerId(7), speakerId(1)]);
      });

      it('neither repeats nor skips when a speaker is added before the position between pages', async () => {
        await insertAll(...crowd);
        const first = await repo((s) => s.list({ limit: 3 }));
        await insertAll(speaker(4, { name: 'aaron' }));
        const last = first[2]!;
        const rest = await repo((s) => s.list({ limit: 10, after: { name: last.name, id: last.id } }));
        expect([...ids(first), ...ids(rest)]).to.deep.equal(expectedOrder);
      });

      it('matches q in name, company or headline, ignoring case, and not in the bio', async () => {
        await insertAll(
          speaker(1, { name: 'Ada Lovelace' }),
          speaker(2, { name: 'Grace', company: 'LOVELACE Labs' }),
          speaker(3, { name: 'Hedy', headline: 'inspired by lovelace' }),
          speaker(4, { name: 'Joan', bio: 'Lovelace fan' }),
          speaker(5, { name: 'Radia' }),
        );
        expect(ids(await repo((s) => s.list({ q: 'loveLACE', limit: 50 })))).to.deep.equal([speakerId(1), speakerId(2), speakerId(3)]);
        expect(ids(await repo((s) => s.list({ q: 'nobody', limit: 50 })))).to.deep.equal([]);
        expect(await repo((s) => s.list({ q: '', limit: 50 }))).to.have.length(5);
        expect(await repo((s) => s.list({ q: null, limit: 50 }))).to.have.length(5);
      });

      it('takes % and _ in q literally', async () => {
        await insertAll(
          speaker(1, { name: 'Hundred', headline: '100% Rust' }),
          speaker(2, { name: 'Thousand', headline: '1000 talks' }),
          speaker(3, { name: 'snake_case' }),
          speaker(4, { name: 'snakeXcase' }),
        );
        expect(ids(await repo((s) => s.list({ q: '0%', limit: 50 })))).to.deep.equal([speakerId(1)]);
        expect(ids(await repo((s) => s.list({ q: 'e_c', limit: 50 })))).to.deep.equal([speakerId(3)]);
        expect(ids(await repo((s) => s.list({ q: '%', limit: 50 })))).to.deep.equal([speakerId(1)]);
      });

      it('pages through the matches of q', async () => {
        await insertAll(...crowd, speaker(20, { name: 'Zed', company: 'Alice Corp' }));
        expect(await walk(2, 'ALI')).to.deep.equal([speakerId(2), speakerId(5), speakerId(9), speakerId(20)]);
      });
    });

    describe('rollback', () => {
      it('keeps nothing inserted by a unit of work that throws', async () => {
        const error = await rejection(repo(async (s) => {
          await s.insert(speaker(1, { userId: userId(1) }));
          throw new Error('boom');
        }));
        expect((error as Error).message).to.equal('boom');
        expect(await repo((s) => s.findById(speakerId(1)))).to.equal(null);
        expect(await repo((s) => s.findByUserId(userId(1)))).to.equal(null);
      });

      it('keeps the previous version when the unit of work that updated it throws', async () => {
        await insertAll(speaker(1));
        await rejection(repo(async (s) => {
          await s.update(speaker(1, { name: 'Changed', version: 2 }), 1);
          throw new Error('boom');
        }));
        expect(await repo((s) => s.findById(speakerId(1)))).to.deep.equal(speaker(1));
      });

      it('keeps the speaker when the unit of work that deleted it throws', async () => {
        await insertAll(speaker(1));
        await rejection(repo(async (s) => {
          await s.delete(speakerId(1), 1);
          throw new Error('boom');
        }));
        expect(await repo((s) => s.findById(speakerId(1)))).to.deep.equal(speaker(1));
      });
    });
  });
}
