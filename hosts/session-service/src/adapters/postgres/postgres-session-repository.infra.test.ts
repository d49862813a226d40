import { expect } from 'chai';
import { sql } from 'slonik';
import { MessageFactory, type OutgoingMessage } from '@conference/kernel';
import { FixedClock, SequentialIdGenerator } from '@conference/kernel/testing';
import { inboxContract, outboxContract, type MessagingFixture } from '@conference/kernel/contracts';
import { pendingOutbox, runMigrations } from '@conference/adapters-postgres';
import { StatementCounter, createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { DetachSpeaker, type DetachSpeakerInput, type Session } from '@conference/session';
import { sessionQueriesContract, sessionRepositoryContract } from '@conference/session/contracts';
import { PostgresSessionQueries } from './postgres-session-queries.js';
import { sessionMigrationSets } from './migrations.js';
import { createPostgresSessionUnitOfWork } from './unit-of-work.js';

const uuid = (group: string, n: number): string => `00000000-0000-4000-${group}-${n.toString(16).padStart(12, '0')}`;

const session = (n: number, overrides: Partial<Session> = {}): Session => ({
  id: uuid('8000', n),
  eventId: uuid('a000', 1),
  ownerId: uuid('b000', 1),
  title: `Talk ${n}`,
  abstract: '',
  startsAt: new Date('2026-05-04T09:00:00.000Z'),
  endsAt: new Date('2026-05-04T10:00:00.000Z'),
  room: 'Room A',
  speakerIds: [],
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  updatedAt: new Date('2026-01-02T03:04:05.678Z'),
  version: 1,
  ...overrides,
});

async function thrown(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('@infra session service on PostgreSQL', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('session', await sessionMigrationSets());
  });
  after(async () => { await db?.close(); });

  const fresh = async () => {
    await db.truncate();
    return createPostgresSessionUnitOfWork(db.pool);
  };

  describe('contracts on the real server', () => {
    sessionRepositoryContract('PostgreSQL', async () => ({ uow: await fresh() }));
    sessionQueriesContract('PostgreSQL, on the pool without a transaction', async () => ({ uow: await fresh(), queries: new PostgresSessionQueries(db.pool) }));

    const messaging = async (): Promise<MessagingFixture> => ({ uow: await fresh(), pending: () => pendingOutbox(db.pool) });
    outboxContract('PostgreSQL session unit of work', messaging);
    inboxContract('PostgreSQL session unit of work', messaging);
  });

  describe('queries under concurrent reads', () => {
    it('reads the sessions asked for in one turn in one statement, and a lone find in one of its own', async () => {
      const uow = await fresh();
      await uow.run(async ({ sessions }) => { for (const n of [1, 2, 3]) await sessions.insert(session(n)); });
      const counted = new StatementCounter();
      const queries = new PostgresSessionQueries(counted.wrap(db.pool));
      const found = await Promise.all(Array.from({ length: 30 }, (_, i) => queries.findById(uuid('8000', (i % 4) + 1))));
      expect(counted.statements).to.equal(1);
      expect(found.map((s) => s?.title ?? null)).to.deep.equal(Array.from({ length: 30 }, (_, i) => (i % 4 === 3 ? null : `Talk ${(i % 4) + 1}`)));
      counted.reset();
      expect((await queries.findById(uuid('8000', 2)))?.title).to.equal('Talk 2');
      expect(counted.statements).to.equal(1);
    });
  });

  describe('migrations', () => {
    it('running them again changes nothing', async () => {
      const report = await runMigrations(db.pool, await sessionMigrationSets());
      expect(report.applied).to.deep.equal([]);
      expect(report.alreadyApplied).to.equal(2);
    });
  });

  describe('unit of work', () => {
    const created = (s: Session): OutgoingMessage => ({
      aggregateId: s.id,
      envelope: {
        id: s.id.replace('-8000-', '-c000-'),
        type: 'session.created',
        version: 1,
        occurredAt: '2026-01-02T03:04:05.678Z',
        source: 'session-service',
        correlationId: 'corr-1',
        causationId: null,
        data: { sessionId: s.id },
      },
    });
    const count = async (table: 'sessions' | 'outbox') =>
      db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM ${sql.identifier([table])}`);

    it('commits the session and its message together: exactly one outbox row', async () => {
      const uow = await fresh();
      await uow.run(async ({ sessions, outbox }) => {
        await sessions.insert(session(1));
        await outbox.add(created(session(1)));
      });
      expect(await count('sessions')).to.equal(1);
      expect(await count('outbox')).to.equal(1);
      expect((await pendingOutbox(db.pool)).map((m) => m.aggregateId)).to.deep.equal([session(1).id]);
    });

    it('rolls both back when the work throws: no session, no outbox row', async () => {
      const uow = await fresh();
      const error = await thrown(() =>
        uow.run(async ({ sessions, outbox }) => {
          await sessions.insert(session(1, { speakerIds: [uuid('9000', 1)] }));
          await outbox.add(created(session(1)));
          throw new Error('boom');
        }),
      );
      expect((error as Error).message).to.equal('boom');
      expect(await count('sessions')).to.equal(0);
      expect(await count('outbox')).to.equal(0);
      expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM session_speakers`)).to.equal(0);
    });

    it('detaches a deleted speaker with the inbox record, once (DetachSpeaker end to end)', async () => {
      const uow = await fresh();
      const speaker = uuid('9000', 1);
      await uow.run(async ({ sessions }) => {
        await sessions.insert(session(1, { speakerIds: [uuid('9000', 2), speaker] }));
        await sessions.insert(session(2, { eventId: null, speakerIds: [speaker] }));
      });
      const clock = new FixedClock('2026-03-01T08:00:00.000Z');
      const detach = new DetachSpeaker(uow, clock, new MessageFactory('session-service', new SequentialIdGenerator('3e550000-0000-4000-8000-'), clock));
      const input: DetachSpeakerInput = { messageId: uuid('d000', 1), data: { speakerId: speaker } };

      const first = await detach.execute(input);
      expect(first).to.deep.equal({ ok: true, value: { duplicate: false, sessionIds: [session(1).id, session(2).id] } });
      const again = await detach.execute(input);
      expect(again).to.deep.equal({ ok: true, value: { duplicate: true, sessionIds: [] } });

      const stored = await uow.run(({ sessions }) => sessions.findByIds([session(1).id, session(2).id]));
      expect(stored.map((s) => [s.speakerIds, s.version])).to.deep.equal([[[uuid('9000', 2)], 2], [[], 2]]);
      expect((await pendingOutbox(db.pool)).map((m) => m.envelope.type)).to.deep.equal(['session.updated', 'session.updated']);
    });
  });

  describe('schema constraints behind the domain rules', () => {
    // The repository trusts the domain to have checked; these show the database refuses the same
    // sessions when something writes around the domain (and that the 24-hour bound the overlap
    // queries rely on is really enforced).
    const refused = async (bad: Session, constraint: string) => {
      const uow = await fresh();
      const error = await thrown(() => uow.run(({ sessions }) => sessions.insert(bad)));
      expect((error as { constraint?: string } | undefined)?.constraint, constraint).to.equal(constraint);
      expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM sessions`)).to.equal(0);
    };

    it('refuses a session that does not end after it starts', async () => {
      await refused(session(1, { endsAt: new Date('2026-05-04T09:00:00.000Z') }), 'sessions_ends_after_start');
    });

    it('refuses a session longer than 24 hours, and keeps one of exactly 24 hours', async () => {
      await refused(session(1, { endsAt: new Date('2026-05-05T09:00:00.001Z') }), 'sessions_at_most_24_hours');
      const uow = await fresh();
      const day = session(2, { endsAt: new Date('2026-05-05T09:00:00.000Z') });
      await uow.run(({ sessions }) => sessions.insert(day));
      expect(await uow.run(({ sessions }) => sessions.findById(day.id))).to.deep.equal(day);
    });

    it('refuses an empty title, an over-long room and a version below 1', async () => {
      await refused(session(1, { title: '' }), 'sessions_title_length');
      await refused(session(1, { room: 'r'.repeat(101) }), 'sessions_room_length');
      await refused(session(1, { version: 0 }), 'sessions_version_positive');
    });

    it('stores the domain room key, so non-ASCII rooms clash exactly as in memory', async () => {
      const uow = await fresh();
      // 'É' precomposed vs 'E' + combining acute: the same room once NFC-normalized.
      await uow.run(({ sessions }) => sessions.insert(session(1, { room: 'Salle \u00C9toile' })));
      const slot = { startsAt: session(1).startsAt, endsAt: session(1).endsAt };
      const found = await uow.run(({ sessions }) => sessions.findRoomOverlaps(uuid('a000', 1), '  salle E\u0301TOILE ', slot, null));
      expect(found.map((s) => s.id)).to.deep.equal([session(1).id]);
    });

    it('finds a 24-hour session that started the day before (the bounded range scan misses nothing)', async () => {
      const uow = await fresh();
      const long = session(1, { startsAt: new Date('2026-05-03T09:00:00.001Z'), endsAt: new Date('2026-05-04T09:00:00.001Z'), speakerIds: [uuid('9000', 1)] });
      await uow.run(({ sessions }) => sessions.insert(long));
      const slot = { startsAt: new Date('2026-05-04T09:00:00.000Z'), endsAt: new Date('2026-05-04T10:00:00.000Z') };
      expect((await uow.run(({ sessions }) => sessions.findSpeakerOverlaps([uuid('9000', 1)], slot, null))).map((s) => s.id)).to.deep.equal([long.id]);
      expect((await uow.run(({ sessions }) => sessions.findRoomOverlaps(uuid('a000', 1), 'room a', slot, null))).map((s) => s.id)).to.deep.equal([long.id]);
      expect((await uow.run(({ sessions }) => sessions.list({ from: slot.startsAt, limit: 10 }))).map((s) => s.id)).to.deep.equal([long.id]);
    });
  });
});
