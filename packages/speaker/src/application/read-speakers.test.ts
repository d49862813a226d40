import { expect } from 'chai';
import { encodeCursor, type Page } from '@conference/kernel';
import type { Speaker } from '../domain/speaker.js';
import { actors, failure, makeHarness, speakerIdNo, value, type Harness } from './use-case-harness.js';

describe('reading speakers (public)', () => {
  let h: Harness;
  const create = async (name: string, extra: { headline?: string; company?: string } = {}): Promise<Speaker> =>
    value(await h.createSpeaker.execute({ actor: actors.organizer, name, ...extra }));
  beforeEach(() => { h = makeHarness(); });

  describe('GetSpeaker', () => {
    it('returns the stored speaker, whatever the case of the id', async () => {
      const ada = await create('Ada');
      expect(value(await h.getSpeaker.execute({ speakerId: ada.id }))).to.deep.equal(ada);
      expect(value(await h.getSpeaker.execute({ speakerId: ada.id.toUpperCase() }))).to.deep.equal(ada);
    });

    it('answers not found for an unknown or malformed id', async () => {
      for (const speakerId of [speakerIdNo(42), 'not-a-uuid', '']) {
        expect(failure(await h.getSpeaker.execute({ speakerId }))).to.include({ code: 'SPEAKER.NOT_FOUND', kind: 'not_found' });
      }
    });
  });

  describe('ListSpeakers', () => {
    const walk = async (limit: number, q?: string): Promise<string[]> => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<Speaker> = value(await h.listSpeakers.execute({ limit, cursor, q }));
        names.push(...page.items.map((s) => s.name));
        cursor = page.nextCursor;
      } while (cursor);
      return names;
    };

    it('lists by name ignoring case, paging with cursors without repeats or gaps', async () => {
      for (const name of ['carol', 'Bob', 'alice', 'ALICE', 'bob']) await create(name);
      const all = value(await h.listSpeakers.execute({}));
      expect(all.items.map((s) => s.name)).to.deep.equal(['alice', 'ALICE', 'Bob', 'bob', 'carol']);
      expect(all.nextCursor).to.equal(null);
      expect(await walk(2)).to.deep.equal(['alice', 'ALICE', 'Bob', 'bob', 'carol']);
      expect(await walk(1)).to.deep.equal(['alice', 'ALICE', 'Bob', 'bob', 'carol']);
    });

    it('gives no next cursor when the last page is exactly full', async () => {
      for (const name of ['a', 'b']) await create(name);
      expect(value(await h.listSpeakers.execute({ limit: 2 })).nextCursor).to.equal(null);
      expect(value(await h.listSpeakers.execute({ limit: 1 })).nextCursor).to.be.a('string');
    });

    it('searches name, company and headline, ignoring case and surrounding spaces', async () => {
      await create('Ada Lovelace');
      await create('Grace', { company: 'Lovelace Labs' });
      await create('Hedy', { headline: 'LOVELACE fan' });
      await create('Radia');
      expect(await walk(2, '  lovelace ')).to.deep.equal(['Ada Lovelace', 'Grace', 'Hedy']);
      expect(await walk(10, '   ')).to.have.length(4);
    });

    it('refuses a cursor it did not issue, including one naming a malformed id', async () => {
      for (const cursor of ['garbage!', encodeCursor(['a']), encodeCursor(['ada', 'x; drop table speakers']), encodeCursor([1, 2])]) {
        expect(failure(await h.listSpeakers.execute({ cursor }))).to.include({ code: 'PAGINATION.INVALID_CURSOR', kind: 'validation' });
      }
    });

    it('refuses a search longer than 200 characters', async () => {
      expect(failure(await h.listSpeakers.execute({ q: 'x'.repeat(201) })).code).to.equal('SPEAKER.INVALID_QUERY');
      expect(value(await h.listSpeakers.execute({ q: 'x'.repeat(200) })).items).to.deep.equal([]);
    });
  });

  describe('GetSpeakersByIds', () => {
    it('returns speakers in the order asked, each once, and the missing ids', async () => {
      const ada = await create('Ada');
      const bob = await create('Bob');
      const gone1 = speakerIdNo(98);
      const gone2 = speakerIdNo(99);
      const result = value(await h.getSpeakersByIds.execute({ ids: [bob.id, gone1, ada.id, bob.id.toUpperCase(), gone1, gone2] }));
      expect(result.speakers.map((s) => s.id)).to.deep.equal([bob.id, ada.id]);
      expect(result.speakers[1]).to.deep.equal(ada);
      expect(result.missingIds).to.deep.equal([gone1, gone2]);
    });

    it('finds nothing for an empty list', async () => {
      expect(value(await h.getSpeakersByIds.execute({ ids: [] }))).to.deep.equal({ speakers: [], missingIds: [] });
    });

    it('refuses malformed ids, naming each one', async () => {
      const error = failure(await h.getSpeakersByIds.execute({ ids: [speakerIdNo(1), 'nope', speakerIdNo(2), ''] }));
      expect(error).to.include({ code: 'SPEAKER.INVALID_ID', kind: 'validation' });
      expect(error.issues.map((i) => i.path)).to.deep.equal(['ids[1]', 'ids[3]']);
    });

    it('accepts 100 ids and refuses 101', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => speakerIdNo(i + 1));
      expect(value(await h.getSpeakersByIds.execute({ ids: ids.slice(0, 100) })).missingIds).to.have.length(100);
      expect(failure(await h.getSpeakersByIds.execute({ ids })).code).to.equal('SPEAKER.TOO_MANY_IDS');
    });
  });
});
