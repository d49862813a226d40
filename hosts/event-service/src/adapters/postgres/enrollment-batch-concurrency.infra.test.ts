import { expect } from 'chai';
import * as t from 'io-ts';
import { sql } from 'slonik';
import { MessageFactory, RandomIdGenerator, unwrap } from '@conference/kernel';
import { FixedClock, seededRandom } from '@conference/kernel/testing';
import { PostgresUnitOfWork, rowSchema } from '@conference/adapters-postgres';
import { StatementCounter } from '@conference/adapters-postgres/testing';
import { RecordEnrollmentRequests, RecordUnenrollment, type EventScope, type RecordEnrollmentRequestsItem } from '@conference/event';
import { anEvent, uuid } from '@conference/event/testing';
import { eventServiceInstances } from './instances-test-kit.js';
import { postgresEventScope } from './unit-of-work.js';

/**
 * RecordEnrollmentRequests on the real server: batches spanning several events, from several
 * instances (pools) at once, mixed with single unenrollments. Capacity must hold, waitlist orders
 * stay unique, every message is handled once — and no deadlock, since every batch locks its events
 * in ascending id order.
 */
describe('@infra event service on PostgreSQL: batches of enrollment requests from many instances at once', function () {
  this.timeout(120_000);

  const INSTANCES = 5;
  const EVENTS = [
    { id: uuid(1), capacity: 1 },
    { id: uuid(2), capacity: 7 },
    { id: uuid(3), capacity: 25 },
    { id: uuid(4), capacity: 60 },
  ];
  const USERS = 120;
  const clock = new FixedClock('2027-01-10T09:00:00.000Z');

  const fixture = eventServiceInstances({
    database: 'event_batches', count: INSTANCES, poolSize: 3, clock,
    build: ({ uow, messages }) => ({ uow, enroll: new RecordEnrollmentRequests(uow, messages, clock), unenroll: new RecordUnenrollment(uow, messages, clock) }),
  });

  const userId = (n: number) => uuid(1000 + n);
  const item = (n: number, eventId: string, minute: number): RecordEnrollmentRequestsItem => ({
    messageId: uuid(0x100000 + n * 16 + Number.parseInt(eventId.slice(-1), 16)),
    data: { userId: userId(n), eventId, email: `user${n}@example.org`, name: `User ${n}`, requestedAt: `2027-01-10T08:${String(minute).padStart(2, '0')}:00.000Z` },
    correlation: { correlationId: null, causationId: null },
  });

  const EventRow = rowSchema(t.type({ id: t.string, capacity: t.number, seats_taken: t.number, enrolled: t.number, waitlisted: t.number, orders: t.number }));
  /** Per event: the seat count beside the enrolled rows, and the waitlisted rows beside their distinct orders. */
  const check = async () => {
    const rows = await fixture.db.pool.any(sql.type(EventRow)`
      SELECT e.id, e.capacity, e.seats_taken,
             count(*) FILTER (WHERE ue.status = 'enrolled') AS enrolled,
             count(*) FILTER (WHERE ue.status = 'waitlisted') AS waitlisted,
             count(DISTINCT ue.waitlist_order) AS orders
      FROM events e LEFT JOIN user_events ue ON ue.event_id = e.id
      GROUP BY e.id ORDER BY e.id`);
    for (const row of rows) {
      expect(row.seats_taken, row.id).to.equal(row.enrolled);
      expect(row.seats_taken, row.id).to.be.at.most(row.capacity);
      expect(row.orders, row.id).to.equal(row.waitlisted);
      // Nobody waits while a seat is free (the event takes enrollments).
      if (row.waitlisted > 0) expect(row.seats_taken, row.id).to.equal(row.capacity);
    }
    return rows;
  };

  it('batches over overlapping events on 5 instances at once: capacity holds, orders are unique, each message counts once', async () => {
    await fixture.instances[0]!.uow.run(async ({ events }) => {
      for (const { id, capacity } of EVENTS) {
        await events.insert(
          anEvent({ id, status: 'published', capacity, seatsTaken: 0, startsAt: new Date('2027-02-01T09:00:00.000Z'), endsAt: new Date('2027-02-01T18:00:00.000Z'), version: 2 }),
        );
      }
    });
    const random = seededRandom(7);
    const deliveries: RecordEnrollmentRequestsItem[] = [];
    for (let n = 0; n < USERS; n++) {
      for (const { id } of EVENTS) if (random() < 0.6) deliveries.push(item(n, id, 10 + Math.floor(random() * 40)));
    }
    // Shuffled, with a fifth delivered twice (a redelivery that may land on another instance in the same round).
    const shuffled = [...deliveries, ...deliveries.filter(() => random() < 0.2)].sort(() => random() - 0.5);
    const batches: RecordEnrollmentRequestsItem[][] = [];
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + Math.floor(random() * 40);
      batches.push(shuffled.slice(i, i + size));
      i += size;
    }

    const started = performance.now();
    const outcomes = (await Promise.all(batches.map((batch, i) => fixture.instances[i % INSTANCES]!.enroll.execute(batch)))).flat();
    const elapsed = performance.now() - started;
    expect(outcomes.every((o) => o.ok && o.value.ok)).to.equal(true);

    const handled = outcomes.map((o) => (o.ok ? unwrap(o.value) : null)).filter((h) => h !== null && !h.duplicate);
    expect(handled).to.have.length(deliveries.length);
    expect(await fixture.db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM inbox`)).to.equal(deliveries.length);
    const rows = await check();
    for (const { id, capacity } of EVENTS) {
      const asked = deliveries.filter((d) => d.data.eventId === id).length;
      const row = rows.find((r) => r.id === id)!;
      expect(row.enrolled).to.equal(Math.min(capacity, asked));
      expect(row.waitlisted).to.equal(Math.max(asked - capacity, 0));
    }
    // Every waitlisted user was told a distinct place, and the places of an event run 1 .. n.
    const told = await fixture.db.pool.any(sql.type(rowSchema(t.type({ event_id: t.string, positions: t.array(t.number) })))`
      SELECT envelope -> 'data' ->> 'eventId' AS event_id, array_agg((envelope -> 'data' ->> 'position')::int ORDER BY 1) AS positions
      FROM outbox WHERE type = 'enrollment.waitlisted' GROUP BY 1`);
    for (const { event_id, positions } of told) {
      expect([...positions].sort((a, b) => a - b), event_id).to.deep.equal(Array.from({ length: positions.length }, (_, i) => i + 1));
    }

    // ---- a second round: unenrollments one by one, and new batches, all at once ----
    const enrolled = await fixture.db.pool.any(sql.type(rowSchema(t.type({ event_id: t.string, user_id: t.string })))`
      SELECT event_id, user_id FROM user_events WHERE status = 'enrolled' ORDER BY user_id, event_id LIMIT 40`);
    const late: RecordEnrollmentRequestsItem[] = [];
    for (let n = USERS; n < USERS + 60; n++) late.push(item(n, EVENTS[n % EVENTS.length]!.id, 50));
    const lateBatches = [late.slice(0, 20), late.slice(20, 45), late.slice(45)];
    await Promise.all([
      ...enrolled.map((e, i) =>
        fixture.instances[i % INSTANCES]!.unenroll.execute({
          messageId: uuid(0x900000 + i),
          data: { userId: e.user_id, eventId: e.event_id, requestedAt: '2027-01-10T08:59:00.000Z' },
        }),
      ),
      ...lateBatches.map((batch, i) => fixture.instances[(i + 2) % INSTANCES]!.enroll.execute(batch)),
    ]);
    await check();
    expect(await fixture.db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM user_events WHERE status = 'cancelled'`)).to.equal(enrolled.length);

    console.log(`      measured: ${shuffled.length} deliveries in ${batches.length} batches on ${INSTANCES} pools in ${elapsed.toFixed(0)} ms`);
  });

  it('falls back to one message at a time when a queue is longer than the heads one read brings (seats freed by a capacity increase)', async () => {
    await fixture.db.truncate();
    const eventId = uuid(1);
    const uow = fixture.instances[0]!.uow;
    await uow.run(async ({ events, enrollments }) => {
      await events.insert(anEvent({ id: eventId, status: 'published', capacity: 300, seatsTaken: 0, startsAt: new Date('2027-02-01T09:00:00.000Z'), endsAt: new Date('2027-02-01T18:00:00.000Z') }));
      await enrollments.saveMany(
        Array.from({ length: 150 }, (_, i) => ({
          eventId,
          userId: uuid(20_000 + i),
          email: `w${i}@example.org`,
          name: `W ${i}`,
          status: 'waitlisted' as const,
          waitlistOrder: i + 1,
          reason: null,
          requestedAt: new Date('2027-01-10T08:00:00.000Z'),
          createdAt: new Date('2027-01-10T08:00:00.000Z'),
          updatedAt: new Date('2027-01-10T08:00:00.000Z'),
        })),
      );
    });
    const outcomes = await fixture.instances[1]!.enroll.execute([item(1, eventId, 30), item(2, eventId, 30)]);
    expect(outcomes.map((o) => o.ok && o.value.ok && !o.value.value.duplicate && o.value.value.outcome)).to.deep.equal(['enrolled', 'enrolled']);
    expect(await fixture.db.pool.oneFirst(sql.unsafe`SELECT seats_taken FROM events WHERE id = ${eventId}`)).to.equal(152);
    expect(await fixture.db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM outbox WHERE type = 'enrollment.promoted'`)).to.equal(150);
    await check();
  });

  it('takes the same number of statements for a batch of 1, 10 or 80 requests over several events', async () => {
    await fixture.db.truncate();
    await fixture.instances[0]!.uow.run(async ({ events }) => {
      for (const { id } of EVENTS) {
        await events.insert(anEvent({ id, status: 'published', capacity: 10, seatsTaken: 0, startsAt: new Date('2027-02-01T09:00:00.000Z'), endsAt: new Date('2027-02-01T18:00:00.000Z') }));
      }
    });
    // Every query method call on the transaction's connection is one statement (BEGIN and COMMIT come on top).
    const counter = new StatementCounter();
    const pool = await fixture.db.newPool(2);
    const uow = new PostgresUnitOfWork<EventScope>(pool, (connection) => postgresEventScope(counter.wrap(connection)));
    const many = new RecordEnrollmentRequests(uow, new MessageFactory('event', new RandomIdGenerator(), clock), clock);
    const counts: number[] = [];
    const timings: number[] = [];
    let next = 0;
    for (const size of [1, 10, 80]) {
      const batch = Array.from({ length: size }, () => {
        next += 1;
        return item(5000 + next, EVENTS[next % EVENTS.length]!.id, 30);
      });
      counter.reset();
      const started = performance.now();
      const outcomes = await many.execute(batch);
      timings.push(performance.now() - started);
      expect(outcomes.every((o) => o.ok && o.value.ok && !o.value.value.duplicate)).to.equal(true);
      counts.push(counter.statements);
    }
    // inbox, lock, read, upsert, seat update, outbox: 6 (+ BEGIN and COMMIT), whatever the size.
    expect(counts).to.deep.equal([6, 6, 6]);
    console.log(`      measured: batches of 1, 10, 80 in ${timings.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  });
});

