import { expect } from 'chai';
import { sql, IntegrityConstraintViolationError, type DatabasePool } from 'slonik';
import { MessageFactory, RandomIdGenerator, unwrap, type UnitOfWork } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import {
  CreateEvent,
  DeleteEvent,
  ProjectSessionChanged,
  RecordEnrollmentRequest,
  type Event,
  type EventQuery,
  type EventScope,
  type EventStatus,
  type Keyset,
} from '@conference/event';
import { InMemoryEventStore, anEnrollment, anEntry, anEvent, at, uuid } from '@conference/event/testing';
import { eventMigrationSets } from './migrations.js';
import { createPostgresEventUnitOfWork } from './unit-of-work.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

const constraintOf = (error: unknown): string | undefined =>
  error instanceof IntegrityConstraintViolationError ? (error.constraint ?? undefined) : undefined;

describe('@infra event service on PostgreSQL: schema and queries', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let uow: UnitOfWork<EventScope>;
  let otherPool: DatabasePool;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('event_schema', await eventMigrationSets());
    uow = createPostgresEventUnitOfWork(db.pool);
    otherPool = await db.newPool(4);
  });
  after(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.truncate();
  });

  const insert = (...events: Event[]) =>
    uow.run(async (scope) => {
      for (const event of events) await scope.events.insert(event);
    });

  describe('the database backs the domain rules', () => {
    it('refuses to store more seats taken than capacity (the backstop behind the row lock)', async () => {
      await insert(anEvent({ capacity: 2, seatsTaken: 2 }));
      const error = await rejectionOf(
        uow.run(async ({ events }) => {
          const event = (await events.findForUpdate(uuid(1)))!;
          await events.update({ ...event, seatsTaken: 3 }, event.version);
        }),
      );
      expect(constraintOf(error)).to.equal('events_seats_taken_check');
      expect((await uow.run(({ events }) => events.findById(uuid(1))))?.seatsTaken).to.equal(2);
    });

    it('refuses a capacity below 1, an end before the start and an unknown status', async () => {
      expect(constraintOf(await rejectionOf(insert(anEvent({ capacity: 0, seatsTaken: 0 }))))).to.equal('events_capacity_check');
      expect(constraintOf(await rejectionOf(insert(anEvent({ endsAt: at(0) }))))).to.equal('events_times_check');
      expect(constraintOf(await rejectionOf(insert(anEvent({ status: 'archived' as EventStatus }))))).to.equal('events_status_check');
    });

    it('gives two waitlisted users of one event never the same place in the queue', async () => {
      await insert(anEvent({ id: uuid(1) }), anEvent({ id: uuid(2) }));
      const waiting = (eventId: string, userN: number) =>
        anEnrollment({ eventId, userId: uuid(userN), status: 'waitlisted', waitlistOrder: 1 });
      await uow.run(({ enrollments }) => enrollments.save(waiting(uuid(1), 100)));
      await uow.run(({ enrollments }) => enrollments.save(waiting(uuid(2), 101)));
      const error = await rejectionOf(uow.run(({ enrollments }) => enrollments.save(waiting(uuid(1), 102))));
      expect(constraintOf(error)).to.equal('user_events_waitlist_order_unique');
      // Only waitlisted rows count: once promoted, the order is free again.
      await uow.run(({ enrollments }) => enrollments.save({ ...waiting(uuid(1), 100), status: 'enrolled', waitlistOrder: null }));
      await uow.run(({ enrollments }) => enrollments.save(waiting(uuid(1), 102)));
    });

    it('keeps waitlist order and reason to the statuses they belong to', async () => {
      await insert(anEvent());
      const save = (overrides: Parameters<typeof anEnrollment>[0]) => rejectionOf(uow.run(({ enrollments }) => enrollments.save(anEnrollment(overrides))));
      expect(constraintOf(await save({ status: 'waitlisted', waitlistOrder: null }))).to.equal('user_events_waitlist_order_check');
      expect(constraintOf(await save({ status: 'enrolled', waitlistOrder: 3 }))).to.equal('user_events_waitlist_order_check');
      expect(constraintOf(await save({ status: 'rejected', reason: null }))).to.equal('user_events_reason_check');
    });

    it('keeps no enrollment or programme entry for an event that is not there', async () => {
      const enrollment = await rejectionOf(uow.run(({ enrollments }) => enrollments.save(anEnrollment({ eventId: uuid(9) }))));
      expect(constraintOf(enrollment)).to.equal('user_events_event_id_fkey');
      const entry = await rejectionOf(uow.run(({ programme }) => programme.upsert(anEntry({ eventId: uuid(9) }))));
      expect(constraintOf(entry)).to.equal('event_sessions_event_id_fkey');
    });

    it('deletes a draft only with its rejected requests and programme, as DeleteEvent does', async () => {
      const clock = new FixedClock('2027-01-10T09:00:00.000Z');
      const organizer = { userId: uuid(900), role: 'organizer' } as const;
      const draft = unwrap(
        await new CreateEvent(uow, new RandomIdGenerator(), clock).execute({
          actor: organizer,
          title: 'Draft day',
          venue: 'Room 1',
          startsAt: new Date('2027-02-01T09:00:00Z'),
          endsAt: new Date('2027-02-01T10:00:00Z'),
          capacity: 10,
        }),
      );
      const messages = new MessageFactory('event', new RandomIdGenerator(), clock);
      const request = unwrap(
        await new RecordEnrollmentRequest(uow, messages, clock).execute({
          messageId: uuid(7000),
          data: { userId: uuid(100), eventId: draft.id, email: 'a@example.org', name: 'A', requestedAt: clock.now().toISOString() },
        }),
      );
      expect(request).to.include({ duplicate: false, outcome: 'rejected' });
      await uow.run(({ programme }) => programme.upsert(anEntry({ eventId: draft.id })));

      // Deleting the event alone is refused: nothing disappears as a side effect (ON DELETE RESTRICT).
      const bare = await rejectionOf(uow.run(({ events }) => events.delete(draft.id, draft.version)));
      expect(constraintOf(bare)).to.be.oneOf(['user_events_event_id_fkey', 'event_sessions_event_id_fkey']);

      unwrap(await new DeleteEvent(uow).execute({ actor: organizer, eventId: draft.id }));
      const left = await db.pool.one(sql.unsafe`
        SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM user_events) AS enrollments,
               (SELECT count(*) FROM event_sessions) AS entries`);
      expect(left).to.deep.equal({ events: 0, enrollments: 0, entries: 0 });
    });
  });

  describe('the row lock', () => {
    it('makes a second reader of the same event wait for the first to commit, and no one else', async () => {
      await insert(anEvent({ id: uuid(1), seatsTaken: 3 }), anEvent({ id: uuid(2) }));
      const elsewhere = createPostgresEventUnitOfWork(otherPool);
      const order: string[] = [];
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = uow.run(async ({ events }) => {
        const event = (await events.findForUpdate(uuid(1)))!;
        order.push('first locked');
        await released;
        await events.update({ ...event, seatsTaken: event.seatsTaken + 1 }, event.version);
        order.push('first done');
      });
      await sleep(50);
      await elsewhere.run(({ events }) => events.findForUpdate(uuid(2)));
      order.push('other event locked');
      const second = elsewhere.run(async ({ events }) => {
        const event = (await events.findForUpdate(uuid(1)))!;
        order.push(`second saw ${event.seatsTaken}`);
      });
      await sleep(150);
      order.push('releasing');
      release();
      await Promise.all([first, second]);
      expect(order).to.deep.equal(['first locked', 'other event locked', 'releasing', 'first done', 'second saw 4']);
    });
  });

  describe('session watermarks under concurrent consumers', () => {
    it('ends at the newest version whatever order 20 versions of a session arrive in, on 4 instances at once', async () => {
      await insert(anEvent({ id: uuid(1) }));
      const pools = [db.pool, otherPool, await db.newPool(3), await db.newPool(3)];
      const consumers = pools.map((pool) => new ProjectSessionChanged(createPostgresEventUnitOfWork(pool)));
      const sessionId = uuid(500);
      for (let round = 0; round < 3; round++) {
        const base = round * 20;
        const versions = Array.from({ length: 20 }, (_, i) => base + i + 1).sort(() => Math.random() - 0.5);
        await Promise.all(
          versions.map((version, i) =>
            consumers[i % consumers.length]!.execute({
              messageId: uuid(0x300000 + version),
              data: {
                sessionId,
                eventId: uuid(1),
                title: `v${version}`,
                startsAt: '2027-03-01T09:00:00.000Z',
                endsAt: '2027-03-01T10:00:00.000Z',
                room: `Room ${version}`,
                speakerIds: [],
                version,
              },
            }),
          ),
        );
        const newest = base + 20;
        expect(await uow.run(({ programme }) => programme.watermark(sessionId))).to.deep.equal({ sessionId, version: newest, deleted: false });
        const entry = await uow.run(({ programme }) => programme.find(uuid(1), sessionId));
        expect(entry).to.include({ sourceVersion: newest, title: `v${newest}`, room: `Room ${newest}` });
      }
    });
  });

  describe('list, checked against the in-memory adapter on the same data', () => {
    const titles = ['Rust Days', 'TRUSTED builds', '50% off: pricing', '500 engineers', 'snake_case meetup', 'snakeXcase meetup', 'back\\slash talk', 'ÜBER conf', 'über meetup', 'Plain'];
    const statuses: EventStatus[] = ['draft', 'published', 'cancelled'];
    const organizers = [uuid(901), uuid(902), uuid(903)];
    const user = uuid(100);

    const dataset = (): { events: Event[]; enrollments: ReturnType<typeof anEnrollment>[] } => {
      const events = Array.from({ length: 60 }, (_, i) =>
        anEvent({
          id: uuid(i + 1),
          title: titles[i % titles.length]!,
          status: statuses[i % 3]!,
          organizerId: organizers[(i >> 1) % 3]!,
          // Many starts shared, so the id tie-break matters.
          startsAt: at((i % 13) * 30),
          endsAt: at((i % 13) * 30 + ((i % 5) + 1) * 45),
        }),
      );
      const enrollmentStatuses = ['enrolled', 'waitlisted', 'cancelled', 'rejected'] as const;
      const enrollments = events
        .filter((_, i) => i % 2 === 0)
        .map((event, i) => {
          const status = enrollmentStatuses[i % 4]!;
          return anEnrollment({
            eventId: event.id,
            userId: user,
            status,
            waitlistOrder: status === 'waitlisted' ? 1 : null,
            reason: status === 'rejected' ? 'ENROLLMENT.EVENT_STARTED' : null,
          });
        });
      return { events, enrollments };
    };

    it('pages every combination of filters exactly as the in-memory adapter does', async () => {
      const memory = new InMemoryEventStore();
      const { events, enrollments } = dataset();
      for (const store of [uow, memory.uow]) {
        await store.run(async (scope) => {
          for (const event of events) await scope.events.insert(event);
          for (const enrollment of enrollments) await scope.enrollments.save(enrollment);
        });
      }
      const pages = async (store: UnitOfWork<EventScope>, query: EventQuery): Promise<string[][]> => {
        const result: string[][] = [];
        let page: Keyset = { limit: 7, after: null };
        for (;;) {
          const slice = await store.run(({ events: repo }) => repo.list(query, page));
          result.push(slice.items.map((event) => event.id));
          const last = slice.items[slice.items.length - 1];
          if (!slice.hasMore || !last) return result;
          page = { limit: 7, after: { at: last.startsAt, id: last.id } };
        }
      };

      const drafts: EventQuery['drafts'][] = [{ kind: 'all' }, { kind: 'own', organizerId: uuid(901) }, { kind: 'none' }];
      const statusSets: (EventStatus[] | undefined)[] = [undefined, ['published'], ['draft', 'cancelled']];
      const texts = [undefined, 'rust', '%', '_', '\\', 'ü', 'E'];
      let compared = 0;
      let nonEmpty = 0;
      for (const draftVisibility of drafts)
        for (const statusSet of statusSets)
          for (const from of [undefined, at(100)])
            for (const to of [undefined, at(300)])
              for (const titleContains of texts)
                for (const organizerId of [undefined, uuid(902)])
                  for (const enrolledUserId of [undefined, user]) {
                    const query: EventQuery = {
                      drafts: draftVisibility,
                      ...(statusSet ? { statuses: statusSet } : {}),
                      ...(from ? { from } : {}),
                      ...(to ? { to } : {}),
                      ...(titleContains !== undefined ? { titleContains } : {}),
                      ...(organizerId ? { organizerId } : {}),
                      ...(enrolledUserId ? { enrolledUserId } : {}),
                    };
                    const expected = await pages(memory.uow, query);
                    expect(await pages(uow, query), JSON.stringify(query)).to.deep.equal(expected);
                    compared += 1;
                    if (expected.flat().length > 0) nonEmpty += 1;
                  }
      expect(compared).to.equal(3 * 3 * 2 * 2 * 7 * 2 * 2);
      // The data set is rich enough that most combinations find something to page through.
      expect(nonEmpty).to.be.greaterThan(compared / 3);
    });

    it('uses the keyset index for the plain listing', async () => {
      await insert(...dataset().events);
      await db.pool.query(sql.unsafe`ANALYZE events`);
      const plan = await db.pool.transaction(async (tx) => {
        await tx.query(sql.unsafe`SET LOCAL enable_seqscan = off`);
        return tx.anyFirst(sql.unsafe`
          EXPLAIN SELECT id FROM events e WHERE (e.starts_at, e.id) > (now(), '00000000-0000-4000-8000-000000000001'::uuid)
          ORDER BY e.starts_at, e.id LIMIT 21`);
      });
      expect(plan.join('\n')).to.match(/Index (Only )?Scan using events_list_order/);
    });
  });
});
