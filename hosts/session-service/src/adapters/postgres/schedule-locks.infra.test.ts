import { expect } from 'chai';
import { sql, type DatabasePool } from 'slonik';
import { MessageFactory, RandomIdGenerator, unwrap, DomainError, type Actor, type Result, type UnitOfWork } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { AddSpeaker, CreateSession, type CreateSessionInput, type Session, type SessionScope, type SpeakerSummary } from '@conference/session';
import { InMemorySpeakerDirectory } from '@conference/session/testing';
import { sessionMigrationSets } from './migrations.js';
import { createPostgresSessionUnitOfWork } from './unit-of-work.js';

/**
 * Why ScheduleLocks exist: "look for overlaps, then insert" is a race between service instances.
 * Each test runs the real use cases, wired as a host wires them, on four pools (four "instances")
 * against one database, and fires all attempts at once.
 */

const INSTANCES = 4;
const ATTEMPTS = 20;

const uuid = (group: string, n: number): string => `00000000-0000-4000-${group}-${n.toString(16).padStart(12, '0')}`;
const speakerId = (n: number) => uuid('9000', n);
const eventId = (n: number) => uuid('a000', n);
const organizer: Actor = { userId: uuid('b000', 1), role: 'organizer' };
const speakers: SpeakerSummary[] = Array.from({ length: ATTEMPTS }, (_, i) => ({
  id: speakerId(i + 1),
  name: `Speaker ${i + 1}`,
  headline: '',
  company: '',
}));

/**
 * Slot i of 20 mutually overlapping slots: pairs share identical times (pretalx let identical
 * slots through, DESIGN §7), odd ones are nested inside 10:00–11:00, and all of them cover 10:20–10:40.
 */
const slot = (i: number): { startsAt: Date; endsAt: Date } => {
  const minutes = i % 10;
  return i % 2 === 0
    ? { startsAt: new Date(Date.UTC(2026, 4, 4, 10, minutes)), endsAt: new Date(Date.UTC(2026, 4, 4, 11, minutes)) }
    : { startsAt: new Date(Date.UTC(2026, 4, 4, 10, 20 - minutes)), endsAt: new Date(Date.UTC(2026, 4, 4, 10, 40 + minutes)) };
};

const draft = (i: number, overrides: Partial<CreateSessionInput> = {}): CreateSessionInput => ({
  actor: organizer,
  eventId: null,
  title: `Attempt ${i}`,
  abstract: '',
  room: `Room ${i}`,
  speakerIds: [],
  ...slot(i),
  ...overrides,
});

const codes = (results: readonly Result<unknown, DomainError>[]): Record<string, number> => {
  const tally: Record<string, number> = {};
  for (const result of results) {
    const code = result.ok ? 'ok' : result.error.code;
    tally[code] = (tally[code] ?? 0) + 1;
  }
  return tally;
};

describe('@infra session schedule locks on PostgreSQL (concurrent bookings)', function () {
  let db: TestDatabase;
  let pools: DatabasePool[];
  let instances: { uow: UnitOfWork<SessionScope>; create: CreateSession; addSpeaker: AddSpeaker }[];

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('session_race', await sessionMigrationSets());
    pools = [];
    for (let i = 0; i < INSTANCES; i++) pools.push(await db.newPool(ATTEMPTS / INSTANCES));
    // Open every connection now, so the attempts below start together instead of queueing
    // behind connection set-up.
    await Promise.all(pools.flatMap((pool) => Array.from({ length: ATTEMPTS / INSTANCES }, () => pool.query(sql.unsafe`SELECT pg_sleep(0.05)`))));
    const clock = new FixedClock('2026-03-01T08:00:00.000Z');
    const directory = new InMemorySpeakerDirectory(speakers);
    instances = pools.map((pool) => {
      const uow = createPostgresSessionUnitOfWork(pool);
      const messages = new MessageFactory('session-service', new RandomIdGenerator(), clock);
      return {
        uow,
        create: new CreateSession(uow, directory, new RandomIdGenerator(), clock, messages),
        addSpeaker: new AddSpeaker(uow, directory, clock, messages),
      };
    });
  });
  after(async () => { await db?.close(); });
  beforeEach(async () => { await db.truncate(); });

  const instance = (i: number) => instances[i % INSTANCES]!;
  const count = (query: ReturnType<typeof sql.unsafe>) => db.pool.oneFirst(query);

  it('books one speaker into exactly one of 20 overlapping sessions created at once on 4 instances', async () => {
    const results = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => instance(i).create.execute(draft(i, { speakerIds: [speakerId(1)] }))));

    expect(codes(results)).to.deep.equal({ ok: 1, 'SESSION.SPEAKER_DOUBLE_BOOKED': ATTEMPTS - 1 });
    const winner = results.find((r): r is { ok: true; value: Session } => r.ok)!.value;
    for (const result of results) {
      if (!result.ok) expect(result.error.message).to.contain(winner.id);
    }
    expect(await count(sql.unsafe`SELECT count(*) FROM session_speakers WHERE speaker_id = ${speakerId(1)}::uuid`)).to.equal(1);
    expect(await count(sql.unsafe`SELECT count(*) FROM sessions`)).to.equal(1);
    expect(await count(sql.unsafe`SELECT count(*) FROM outbox`)).to.equal(1);
    expect(await count(sql.unsafe`SELECT count(*) FROM session_speakers sp JOIN sessions s ON s.id = sp.session_id WHERE s.id = ${winner.id}::uuid`)).to.equal(1);
  });

  it('books one room of an event into exactly one of 20 overlapping sessions created at once on 4 instances', async () => {
    // The same room however it is typed: the lock key and the clash query both use roomKey().
    const spellings = ['Room A', 'room a', '  ROOM A ', 'Room a'];
    const results = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) => instance(i).create.execute(draft(i, { eventId: eventId(1), room: spellings[i % spellings.length]! }))),
    );

    expect(codes(results)).to.deep.equal({ ok: 1, 'SESSION.ROOM_DOUBLE_BOOKED': ATTEMPTS - 1 });
    expect(await count(sql.unsafe`SELECT count(*) FROM sessions WHERE event_id = ${eventId(1)}::uuid AND room_key = 'room a'`)).to.equal(1);
    expect(await count(sql.unsafe`SELECT count(*) FROM sessions`)).to.equal(1);
    expect(await count(sql.unsafe`SELECT count(*) FROM outbox`)).to.equal(1);
  });

  it('lets one room be booked at once in 20 different events (rooms only clash within an event)', async () => {
    const results = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) => instance(i).create.execute(draft(i, { eventId: eventId(i + 1), room: 'Room A' }))),
    );
    expect(codes(results)).to.deep.equal({ ok: ATTEMPTS });
  });

  it('guards every path that books a speaker: AddSpeaker racing CreateSession for one speaker', async () => {
    // Ten overlapping sessions without speakers, in different rooms, exist already.
    const existing: Session[] = [];
    for (let i = 0; i < ATTEMPTS / 2; i++) existing.push(unwrap(await instance(i).create.execute(draft(i))));

    const results = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        i % 2 === 0
          ? instance(i).addSpeaker.execute({ actor: organizer, sessionId: existing[i / 2]!.id, speakerId: speakerId(1) })
          : instance(i).create.execute(draft(i + ATTEMPTS, { speakerIds: [speakerId(1)] })),
      ),
    );

    expect(codes(results)).to.deep.equal({ ok: 1, 'SESSION.SPEAKER_DOUBLE_BOOKED': ATTEMPTS - 1 });
    expect(await count(sql.unsafe`SELECT count(*) FROM session_speakers WHERE speaker_id = ${speakerId(1)}::uuid`)).to.equal(1);
  });

  it('books 20 different speakers into overlapping sessions at once without a single failure (no false serialisation)', async () => {
    const results = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) => instance(i).create.execute(draft(i, { eventId: eventId(1), speakerIds: [speakerId(i + 1)] }))),
    );

    expect(codes(results)).to.deep.equal({ ok: ATTEMPTS });
    expect(await count(sql.unsafe`SELECT count(*) FROM sessions`)).to.equal(ATTEMPTS);
    expect(await count(sql.unsafe`SELECT count(DISTINCT speaker_id) FROM session_speakers`)).to.equal(ATTEMPTS);
    expect(await count(sql.unsafe`SELECT count(*) FROM outbox`)).to.equal(ATTEMPTS);
  });

  describe('the ScheduleLocks contract on advisory locks', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('takes a key again at once within the same unit of work, and any order or repeats', async () => {
      const started = Date.now();
      await instance(0).uow.run(async ({ locks }) => {
        await locks.acquire(['session:speaker:b', 'session:speaker:a', 'session:speaker:b']);
        await locks.acquire(['session:speaker:a']);
      });
      expect(Date.now() - started).to.be.below(1_000);
    });

    it('holds a key until the unit of work ends, commit or rollback', async () => {
      const order: string[] = [];
      const key = 'session:speaker:held';
      const holder = instance(0).uow.run(async ({ locks }) => {
        await locks.acquire([key]);
        order.push('holder locked');
        await sleep(200);
        order.push('holder rolls back');
        throw new Error('rollback');
      });
      await sleep(50);
      const waiter = instance(1).uow.run(async ({ locks }) => {
        await locks.acquire([key]);
        order.push('waiter locked');
      });
      const [held, waited] = await Promise.allSettled([holder, waiter]);
      expect(held.status).to.equal('rejected');
      expect(waited.status).to.equal('fulfilled');
      expect(order).to.deep.equal(['holder locked', 'holder rolls back', 'waiter locked']);
    });

    it('fails after lockTimeoutMs instead of hanging behind a stuck holder', async () => {
      const key = 'session:room:stuck';
      const impatient = createPostgresSessionUnitOfWork(pools[1]!, { lockTimeoutMs: 100 });
      let release!: () => void;
      const released = new Promise<void>((resolve) => { release = resolve; });
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => { locked = resolve; });
      const holder = instance(0).uow.run(async ({ locks }) => {
        await locks.acquire([key]);
        locked();
        await released;
      });
      await isLocked;
      const started = Date.now();
      let error: unknown;
      try {
        await impatient.run(({ locks }) => locks.acquire([key]));
      } catch (caught) {
        error = caught;
      } finally {
        release();
        await holder;
      }
      // The unit of work turns the lock_timeout (SQLSTATE 55P03) into an unavailable DomainError: a 503 with Retry-After at the edge, not a 500.
      expect(error).to.be.instanceOf(DomainError);
      expect(error).to.include({ kind: 'unavailable', code: 'DATABASE.UNAVAILABLE' });
      expect(Date.now() - started).to.be.below(2_000);
    });
  });
});
