import { expect } from 'chai';
import { sql, type DatabasePool } from 'slonik';
import { MessageFactory, RandomIdGenerator, StaleVersionError, type UnitOfWork } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { pendingOutbox } from '@conference/adapters-postgres';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { CreateSpeaker, SpeakerLimits, UserAlreadyLinkedError, type Speaker, type SpeakerRepository, type SpeakerScope } from '@conference/speaker';
import { InMemorySpeakerRepository, aSpeaker, emptySpeakerState, speakerId, userId } from '@conference/speaker/testing';
import { speakerMigrationSets } from './migrations.js';
import { createPostgresSpeakerUnitOfWork } from './unit-of-work.js';

const speaker = aSpeaker;

/** Resolves once `parties` callers are waiting: lets two transactions reach the same point together. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => { release = resolve; });
  return async () => {
    arrived += 1;
    if (arrived === parties) release();
    await all;
  };
}

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('@infra PostgreSQL speaker schema and concurrency', function () {
  let db: TestDatabase;
  let otherInstance: DatabasePool;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('speaker_schema', await speakerMigrationSets());
    otherInstance = await db.newPool(4);
  });
  after(async () => { await db?.close(); });
  beforeEach(async () => { await db.truncate(); });

  const uowOn = (pool: DatabasePool) => createPostgresSpeakerUnitOfWork(pool);
  const insertAll = (...all: Speaker[]) => uowOn(db.pool).run(async ({ speakers }) => { for (const s of all) await speakers.insert(s); });
  const linkedTo = (user: string) =>
    db.pool.anyFirst(sql.unsafe`SELECT id FROM speakers WHERE user_id = ${user}`);

  describe('one profile per user under concurrency (the unique index decides)', () => {
    const ROUNDS = 10;

    it('two instances inserting profiles for the same user at once: exactly one wins, the other gets UserAlreadyLinkedError', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const user = userId(round + 1);
        const bothLooked = barrier(2);
        // Each transaction first sees no profile for the user (the check a use case makes), then
        // both insert: only the index can stop the second.
        const attempt = (pool: DatabasePool, n: number) =>
          uowOn(pool).run(async ({ speakers }) => {
            expect(await speakers.findByUserId(user)).to.equal(null);
            await bothLooked();
            await speakers.insert(speaker(n, { userId: user }));
          });
        const outcomes = await Promise.allSettled([attempt(db.pool, 100 + 2 * round), attempt(otherInstance, 101 + 2 * round)]);
        const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(failures, `round ${round}`).to.have.length(1);
        expect(failures[0]!.reason).to.be.instanceOf(UserAlreadyLinkedError);
        expect((failures[0]!.reason as UserAlreadyLinkedError).userId).to.equal(user);
        expect(await linkedTo(user)).to.have.length(1);
      }
    });

    it('two instances linking different existing profiles to the same user at once: exactly one wins', async () => {
      await insertAll(...Array.from({ length: 2 * ROUNDS }, (_, i) => speaker(200 + i)));
      for (let round = 0; round < ROUNDS; round++) {
        const user = userId(50 + round);
        const bothLooked = barrier(2);
        const link = (pool: DatabasePool, n: number) =>
          uowOn(pool).run(async ({ speakers }) => {
            const current = (await speakers.findById(speakerId(n)))!;
            expect(await speakers.findByUserId(user)).to.equal(null);
            await bothLooked();
            await speakers.update({ ...current, userId: user, version: current.version + 1 }, current.version);
          });
        const outcomes = await Promise.allSettled([link(db.pool, 200 + 2 * round), link(otherInstance, 201 + 2 * round)]);
        const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(failures, `round ${round}`).to.have.length(1);
        expect(failures[0]!.reason).to.be.instanceOf(UserAlreadyLinkedError);
        expect(await linkedTo(user)).to.have.length(1);
      }
    });

    it('CreateSpeaker racing on two instances: one speaker and one speaker.created, the other a USER_ALREADY_LINKED result', async () => {
      const clock = new FixedClock('2026-03-01T10:00:00.000Z');
      const bothLooked = barrier(2);
      // Both use cases pass their own findByUserId check before either inserts.
      const racing = (pool: DatabasePool): UnitOfWork<SpeakerScope> => ({
        run: (work) =>
          uowOn(pool).run((scope) => {
            const speakers: SpeakerRepository = Object.create(scope.speakers, {
              findByUserId: {
                value: async (user: string) => {
                  const found = await scope.speakers.findByUserId(user);
                  await bothLooked();
                  return found;
                },
              },
            });
            return work({ ...scope, speakers });
          }),
      });
      const create = (pool: DatabasePool, name: string) =>
        new CreateSpeaker(racing(pool), new RandomIdGenerator(), clock, new MessageFactory('speaker-service', new RandomIdGenerator(), clock))
          .execute({ actor: { userId: userId(900), role: 'organizer' }, name, userId: userId(7) });
      const results = await Promise.all([create(db.pool, 'First'), create(otherInstance, 'Second')]);
      expect(results.filter((r) => r.ok)).to.have.length(1);
      expect(results.flatMap((r) => (r.ok ? [] : [r.error.code]))).to.deep.equal(['SPEAKER.USER_ALREADY_LINKED']);
      expect((await pendingOutbox(db.pool)).map((m) => m.envelope.type)).to.deep.equal(['speaker.created']);
      expect(await linkedTo(userId(7))).to.have.length(1);
    });
  });

  describe('optimistic concurrency', () => {
    it('two instances updating the same version at once: one wins, the other gets StaleVersionError', async () => {
      await insertAll(speaker(1));
      const bothRead = barrier(2);
      const rename = (pool: DatabasePool, name: string) =>
        uowOn(pool).run(async ({ speakers }) => {
          const current = (await speakers.findById(speakerId(1)))!;
          await bothRead();
          await speakers.update({ ...current, name, version: current.version + 1 }, current.version);
        });
      const outcomes = await Promise.allSettled([rename(db.pool, 'Winner A'), rename(otherInstance, 'Winner B')]);
      const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(failures).to.have.length(1);
      expect(failures[0]!.reason).to.be.instanceOf(StaleVersionError);
      const stored = await uowOn(db.pool).run(({ speakers }) => speakers.findById(speakerId(1)));
      expect(stored?.version).to.equal(2);
      expect(stored?.name).to.be.oneOf(['Winner A', 'Winner B']);
    });
  });

  describe('ids', () => {
    it('matches ids without regard to case and finds nothing for malformed ones, without a uuid cast error', async () => {
      await insertAll(speaker(1, { userId: userId(1) }), speaker(2));
      await uowOn(db.pool).run(async ({ speakers }) => {
        expect((await speakers.findById(speakerId(1).toUpperCase()))?.id).to.equal(speakerId(1));
        expect((await speakers.findByUserId(userId(1).toUpperCase()))?.id).to.equal(speakerId(1));
        expect(await speakers.findById('nope')).to.equal(null);
        expect(await speakers.findById('')).to.equal(null);
        expect(await speakers.findByUserId("'; DROP TABLE speakers; --")).to.equal(null);
        const found = await speakers.findByIds(['x', speakerId(2).toUpperCase(), speakerId(2), '5b0c0000-zzzz', speakerId(1)]);
        expect(found.map((s) => s.id).sort()).to.deep.equal([speakerId(1), speakerId(2)]);
        expect(await speakers.findByIds(['junk'])).to.deep.equal([]);
        // The same transaction is still usable: no statement failed inside it.
        expect((await speakers.findById(speakerId(2)))?.id).to.equal(speakerId(2));
      });
      expect(await rejection(uowOn(db.pool).run(({ speakers }) => speakers.update(speaker(1, { id: 'nope', version: 2 }), 1)))).to.be.instanceOf(StaleVersionError);
      expect(await rejection(uowOn(db.pool).run(({ speakers }) => speakers.delete('nope', 1)))).to.be.instanceOf(StaleVersionError);
      await uowOn(db.pool).run(({ speakers }) => speakers.delete(speakerId(2).toUpperCase(), 1));
      expect(await linkedTo(userId(1))).to.deep.equal([speakerId(1)]);
      expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM speakers`)).to.equal(1);
    });
  });

  describe('list order and search, compared with the in-memory adapter', () => {
    // Accents, ß, Greek, Cyrillic, CJK, names equal but for case, and a prefix of another name.
    const names = [
      'émile', 'Émile', 'EMILE', 'emile', 'Zoë', 'zoe', 'ZOE', 'Ærø', 'ærø', 'Straße', 'STRASSE', 'strasse',
      'Ωmega', 'ωmega', 'Ölaf', 'öl', 'Öl', 'Ясна', 'ясна', 'ЯСНА', '李雷', '韩梅梅', 'Ñandú', 'ñu', 'NU', 'a', 'A', 'ab',
      'Anna Smith', 'anna smith', 'anna-smith', 'anna_smith', 'Ängel', 'zzz', '1984', '_under', '~tilde',
    ];
    const crowd = names.map((name, i) => speaker(1 + ((i * 17) % names.length), { name, company: i % 3 === 0 ? 'ACME Ünited' : '' }));

    const memoryRepo = () => {
      const state = emptySpeakerState();
      return { repo: new InMemorySpeakerRepository(() => state), state };
    };
    const pgList = (q: string | null, after: { name: string; id: string } | null, limit: number) =>
      uowOn(db.pool).run(({ speakers }) => speakers.list({ q, after, limit }));
    const walk = async (list: (after: { name: string; id: string } | null) => Promise<Speaker[]>, limit: number) => {
      const seen: string[] = [];
      let after: { name: string; id: string } | null = null;
      for (let guard = 0; guard < 200; guard++) {
        const page = await list(after);
        seen.push(...page.map((s) => s.id));
        const last = page[page.length - 1];
        if (page.length < limit || !last) return seen;
        after = { name: last.name, id: last.id };
      }
      throw new Error('pagination did not end');
    };

    it('orders non-ASCII names and names equal but for case exactly as the in-memory adapter, page by page', async () => {
      await insertAll(...crowd);
      const { repo } = memoryRepo();
      for (const s of crowd) await repo.insert(s);
      const expected = (await repo.list({ limit: 1000 })).map((s) => s.id);
      expect((await pgList(null, null, 1000)).map((s) => s.id)).to.deep.equal(expected);
      for (const limit of [1, 3, 7]) {
        expect(await walk((after) => pgList(null, after, limit), limit), `limit ${limit}`).to.deep.equal(expected);
      }
    });

    it('matches q ignoring case in non-ASCII text too, as the in-memory adapter does', async () => {
      await insertAll(...crowd);
      const { repo } = memoryRepo();
      for (const s of crowd) await repo.insert(s);
      for (const q of ['ÉMILE', 'zoë', 'ЯСН', 'straße', 'ÆR', 'ünited', '李', 'anna_', 'a-s', '_', 'Ω']) {
        const expected = (await repo.list({ q, limit: 1000 })).map((s) => s.id);
        expect((await pgList(q, null, 1000)).map((s) => s.id), `q ${q}`).to.deep.equal(expected);
      }
    });

    it('takes a backslash in q literally and finds nothing for a q with U+0000 (PostgreSQL text cannot hold it)', async () => {
      await insertAll(speaker(1, { name: 'C:\\temp' }), speaker(2, { name: 'C:temp' }), speaker(3, { name: 'x%y' }));
      expect((await pgList('\\', null, 10)).map((s) => s.id)).to.deep.equal([speakerId(1)]);
      expect((await pgList(':\\t', null, 10)).map((s) => s.id)).to.deep.equal([speakerId(1)]);
      expect((await pgList('\\%', null, 10)).map((s) => s.id)).to.deep.equal([]);
      expect((await pgList('x%', null, 10)).map((s) => s.id)).to.deep.equal([speakerId(3)]);
      expect(await pgList('a\u0000', null, 10)).to.deep.equal([]);
    });

    it('pages without repeats or gaps where JS and PostgreSQL case mapping differ (İ, final Σ, astral vs U+E000+)', async () => {
      // These sort differently from the in-memory adapter (see the report), but the order is still
      // total and both sides of the keyset condition use it, so pages neither repeat nor skip.
      const odd = ['İstanbul', 'istanbul', 'ISTANBUL', 'ΟΔΟΣ', 'οδοσ', 'οδος', '😀 smile', 'ｆｕｌｌ', '\uFFFDx', 'x'];
      await insertAll(...odd.map((name, i) => speaker(300 + ((i * 7) % odd.length), { name })));
      const full = (await pgList(null, null, 100)).map((s) => s.id);
      expect(new Set(full).size).to.equal(odd.length);
      for (const limit of [1, 2, 3]) expect(await walk((after) => pgList(null, after, limit), limit)).to.deep.equal(full);
    });

    it('serves the keyset query from the speakers_list_order index, without a sort', async () => {
      await insertAll(...crowd);
      // The statement the repository sends for a page after a position (with q absent).
      const plan = await db.pool.transaction(async (tx) => {
        await tx.query(sql.unsafe`SET LOCAL enable_seqscan = off`);
        return tx.anyFirst(sql.unsafe`
          EXPLAIN SELECT id FROM speakers
          WHERE ((lower(name) COLLATE "C"), id) > ((lower(${'Émile'}::text) COLLATE "C"), ${speakerId(3)}::uuid)
          ORDER BY (lower(name) COLLATE "C"), id LIMIT 21`);
      });
      const text = plan.join('\n');
      expect(text).to.match(/Index (Only )?Scan using speakers_list_order/);
      expect(text).not.to.match(/Sort/);
    });
  });

  describe('constraints back the domain rules', () => {
    const longest = speaker(1, {
      name: 'n'.repeat(SpeakerLimits.name.max),
      headline: 'h'.repeat(SpeakerLimits.headline.max),
      bio: 'b'.repeat(SpeakerLimits.bio.max),
      company: 'c'.repeat(SpeakerLimits.company.max),
      links: Array.from({ length: SpeakerLimits.links.max }, (_, i) => ({
        label: `${i}`.padEnd(SpeakerLimits.linkLabel.max, 'l'),
        url: `https://example.com/${'u'.repeat(SpeakerLimits.linkUrl.max - 20)}`,
      })),
      userId: userId(1),
    });

    it('stores the largest profile the domain allows, every field intact', async () => {
      expect(longest.links[0]!.url).to.have.length(SpeakerLimits.linkUrl.max);
      await insertAll(longest, speaker(2, { links: [{ label: 'Odd but valid', url: 'HTTP:host.example' }] }));
      const stored = await uowOn(db.pool).run(({ speakers }) => speakers.findByIds([speakerId(1), speakerId(2)]));
      expect(stored.find((s) => s.id === speakerId(1))).to.deep.equal(longest);
    });

    const violation = async (assignment: ReturnType<typeof sql.fragment>): Promise<string | undefined> => {
      await insertAll(speaker(1));
      const error = await rejection(db.pool.query(sql.unsafe`UPDATE speakers SET ${assignment} WHERE id = ${speakerId(1)}`));
      return (error as { constraint?: string } | undefined)?.constraint;
    };

    const cases: Array<[string, () => ReturnType<typeof sql.fragment>, string]> = [
      ['an empty name', () => sql.fragment`name = ''`, 'speakers_name_length'],
      ['a name over 200', () => sql.fragment`name = ${'n'.repeat(201)}`, 'speakers_name_length'],
      ['a headline over 200', () => sql.fragment`headline = ${'h'.repeat(201)}`, 'speakers_headline_length'],
      ['a bio over 5000', () => sql.fragment`bio = ${'b'.repeat(5001)}`, 'speakers_bio_length'],
      ['a company over 200', () => sql.fragment`company = ${'c'.repeat(201)}`, 'speakers_company_length'],
      ['version 0', () => sql.fragment`version = 0`, 'speakers_version_positive'],
      ['links that are not an array', () => sql.fragment`links = '{}'::jsonb`, 'speakers_links_valid'],
      ['11 links', () => sql.fragment`links = ${sql.jsonb(Array.from({ length: 11 }, () => ({ label: 'a', url: 'https://a.example' })))}`, 'speakers_links_valid'],
      ['a link that is not an object', () => sql.fragment`links = '["https://a.example"]'::jsonb`, 'speakers_links_valid'],
      ['a link without a label', () => sql.fragment`links = '[{"url":"https://a.example"}]'::jsonb`, 'speakers_links_valid'],
      ['an empty label', () => sql.fragment`links = '[{"label":"","url":"https://a.example"}]'::jsonb`, 'speakers_links_valid'],
      ['a label over 50', () => sql.fragment`links = ${sql.jsonb([{ label: 'l'.repeat(51), url: 'https://a.example' }])}`, 'speakers_links_valid'],
      ['a numeric url', () => sql.fragment`links = '[{"label":"a","url":5}]'::jsonb`, 'speakers_links_valid'],
      ['a javascript: url', () => sql.fragment`links = '[{"label":"a","url":"javascript:alert(1)"}]'::jsonb`, 'speakers_links_valid'],
      ['a url over 2000', () => sql.fragment`links = ${sql.jsonb([{ label: 'a', url: `https://a.example/${'u'.repeat(2000)}` }])}`, 'speakers_links_valid'],
      ['a link with an unknown key', () => sql.fragment`links = '[{"label":"a","url":"https://a.example","x":1}]'::jsonb`, 'speakers_links_valid'],
    ];
    for (const [what, assignment, constraint] of cases) {
      it(`refuses ${what} (${constraint})`, async () => {
        expect(await violation(assignment())).to.equal(constraint);
      });
    }
  });
});
