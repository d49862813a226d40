import { expect } from 'chai';
import * as t from 'io-ts';
import { sql } from 'slonik';
import { unwrap } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { rowSchema } from '@conference/adapters-postgres';
import { RecordEnrollmentRequest, RecordUnenrollment } from '@conference/event';
import { anEvent, uuid } from '@conference/event/testing';
import { eventServiceInstances } from './instances-test-kit.js';

/**
 * DESIGN §2: "Capacity is never exceeded, also under concurrent enrollments on many instances.
 * Enrolling twice is a no-op. Unenrolling frees the seat and promotes the first waitlisted user."
 * Each "instance" is its own pool, unit of work and use cases, as separate processes would be.
 */
describe('@infra event service on PostgreSQL: enrollments from many instances at once', function () {
  this.timeout(120_000);

  const INSTANCES = 8;
  const USERS = 200;
  const CAPACITY = 50;
  const LEAVING = 10;
  const EVENT_ID = uuid(1);
  const clock = new FixedClock('2027-01-10T09:00:00.000Z');
  const requestedAt = '2027-01-10T08:59:00.000Z';
  const leftAt = '2027-01-10T09:30:00.000Z';

  // 8 × 5 connections: the 200 deliveries queue for connections as well as for the event's row lock.
  const fixture = eventServiceInstances({
    database: 'event_concurrency', count: INSTANCES, poolSize: 5, clock,
    build: ({ uow, messages }) => ({ uow, enroll: new RecordEnrollmentRequest(uow, messages, clock), unenroll: new RecordUnenrollment(uow, messages, clock) }),
  });

  const userId = (n: number) => uuid(1000 + n);
  const enrolledMessageId = (n: number) => uuid(0x100000 + n);
  const unenrolledMessageId = (n: number) => uuid(0x200000 + n);
  const users = Array.from({ length: USERS }, (_, n) => n);

  // Each delivery goes to one instance; `shift` sends a redelivery to a different one than the first time.
  const deliverEnrollment = (n: number, shift = 0) =>
    fixture.instances[(n + shift) % INSTANCES]!.enroll.execute({
      messageId: enrolledMessageId(n),
      data: { userId: userId(n), eventId: EVENT_ID, email: `user${n}@example.org`, name: `User ${n}`, requestedAt },
    });

  const KeyCount = rowSchema(t.type({ key: t.string, count: t.number }));
  const countsByStatus = async () =>
    Object.fromEntries(
      (
        await fixture.db.pool.any(sql.type(KeyCount)`
          SELECT status AS key, count(*) AS count FROM user_events WHERE event_id = ${EVENT_ID} GROUP BY status ORDER BY status`)
      ).map((row) => [row.key, row.count]),
    );
  const seatsTaken = () => fixture.db.pool.oneFirst(sql.unsafe`SELECT seats_taken FROM events WHERE id = ${EVENT_ID}`);
  const outboxByType = async () =>
    Object.fromEntries(
      (await fixture.db.pool.any(sql.type(KeyCount)`SELECT type AS key, count(*) AS count FROM outbox GROUP BY type ORDER BY type`)).map((row) => [row.key, row.count]),
    );
  const snapshot = async () => ({
    event: await fixture.db.pool.one(sql.unsafe`SELECT * FROM events WHERE id = ${EVENT_ID}`),
    enrollments: await fixture.db.pool.any(sql.unsafe`SELECT * FROM user_events ORDER BY event_id, user_id`),
    outbox: await fixture.db.pool.anyFirst(sql.unsafe`SELECT id FROM outbox ORDER BY position`),
  });
  const waitlistInOrder = () =>
    fixture.db.pool.anyFirst(sql.unsafe`
      SELECT user_id FROM user_events WHERE event_id = ${EVENT_ID} AND status = 'waitlisted' ORDER BY waitlist_order`);

  it('200 users on 8 instances at once: 50 enrolled, 150 waitlisted in order; redelivery changes nothing; 10 leave and the first 10 move up', async () => {
    await fixture.instances[0]!.uow.run(({ events }) =>
      events.insert(
        anEvent({
          id: EVENT_ID,
          status: 'published',
          capacity: CAPACITY,
          seatsTaken: 0,
          startsAt: new Date('2027-02-01T09:00:00.000Z'),
          endsAt: new Date('2027-02-01T18:00:00.000Z'),
          version: 2,
        }),
      ),
    );

    // ---- 200 distinct user.enrolled messages, all at once, spread over 8 instances ----
    let started = performance.now();
    const firstRound = (await Promise.all(users.map((n) => deliverEnrollment(n)))).map(unwrap);
    const enrollMs = performance.now() - started;

    const outcomes = firstRound.map((handled) => (handled.duplicate ? 'duplicate' : handled.outcome));
    expect(outcomes.filter((o) => o === 'enrolled')).to.have.length(CAPACITY);
    expect(outcomes.filter((o) => o === 'waitlisted')).to.have.length(USERS - CAPACITY);

    expect(await countsByStatus()).to.deep.equal({ enrolled: CAPACITY, waitlisted: USERS - CAPACITY });
    expect(
      await fixture.db.pool.one(sql.unsafe`SELECT count(*) AS rows, count(DISTINCT user_id) AS users FROM user_events WHERE event_id = ${EVENT_ID}`),
    ).to.deep.equal({ rows: USERS, users: USERS });
    expect(await seatsTaken()).to.equal(CAPACITY);
    const orders = await fixture.db.pool.anyFirst(sql.unsafe`
      SELECT waitlist_order FROM user_events WHERE event_id = ${EVENT_ID} AND status = 'waitlisted' ORDER BY waitlist_order`);
    expect(orders).to.deep.equal(Array.from({ length: USERS - CAPACITY }, (_, i) => i + 1));
    expect(await outboxByType()).to.deep.equal({ 'enrollment.confirmed': CAPACITY, 'enrollment.waitlisted': USERS - CAPACITY });
    // Each waitlisted user was told a distinct place in the queue, 1 .. 150, matching their order.
    const toldPositions = await fixture.db.pool.anyFirst(sql.unsafe`
      SELECT (envelope -> 'data' ->> 'position')::int FROM outbox WHERE type = 'enrollment.waitlisted' ORDER BY 1`);
    expect(toldPositions).to.deep.equal(orders);
    expect(await fixture.db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM inbox`)).to.equal(USERS);

    // ---- every message delivered again (same ids), at once, each to another instance ----
    const before = await snapshot();
    started = performance.now();
    const redelivered = (await Promise.all(users.map((n) => deliverEnrollment(n, 3)))).map(unwrap);
    const redeliverMs = performance.now() - started;
    expect(redelivered.every((handled) => handled.duplicate)).to.equal(true);
    expect(await snapshot()).to.deep.equal(before);
    expect(before.outbox).to.have.length(USERS);

    // ---- 10 enrolled users leave at once, from different instances ----
    const queue = await waitlistInOrder();
    const firstTen = queue.slice(0, LEAVING);
    const enrolledUsers = users.filter((n) => outcomes[n] === 'enrolled');
    const leaving = enrolledUsers.slice(0, LEAVING);
    started = performance.now();
    const left = (
      await Promise.all(
        leaving.map((n) =>
          fixture.instances[n % INSTANCES]!.unenroll.execute({
            messageId: unenrolledMessageId(n),
            data: { userId: userId(n), eventId: EVENT_ID, requestedAt: leftAt },
          }),
        ),
      )
    ).map(unwrap);
    const unenrollMs = performance.now() - started;

    expect(left.map((handled) => (handled.duplicate ? 'duplicate' : handled.outcome))).to.deep.equal(Array(LEAVING).fill('cancelled'));
    expect(await countsByStatus()).to.deep.equal({ cancelled: LEAVING, enrolled: CAPACITY, waitlisted: USERS - CAPACITY - LEAVING });
    expect(await seatsTaken()).to.equal(CAPACITY);
    const cancelled = await fixture.db.pool.anyFirst(sql.unsafe`SELECT user_id FROM user_events WHERE status = 'cancelled' ORDER BY user_id`);
    expect(cancelled).to.deep.equal(leaving.map(userId).sort());
    // FIFO: the promotions, in the order they were written (outbox position = lock order), are the
    // first ten of the queue in queue order.
    const promoted = await fixture.db.pool.anyFirst(sql.unsafe`
      SELECT envelope -> 'data' ->> 'userId' FROM outbox WHERE type = 'enrollment.promoted' ORDER BY position`);
    expect(promoted).to.deep.equal(firstTen);
    const nowEnrolled = await fixture.db.pool.anyFirst(sql.unsafe`SELECT user_id FROM user_events WHERE status = 'enrolled'`);
    for (const user of firstTen) expect(nowEnrolled).to.include(user);
    expect(await waitlistInOrder()).to.deep.equal(queue.slice(LEAVING));
    expect(await fixture.instances[5]!.uow.run(({ enrollments }) => enrollments.waitlistPosition(EVENT_ID, String(queue[LEAVING])))).to.equal(1);
    expect(await outboxByType()).to.deep.equal({
      'enrollment.cancelled': LEAVING,
      'enrollment.confirmed': CAPACITY,
      'enrollment.promoted': LEAVING,
      'enrollment.waitlisted': USERS - CAPACITY,
    });

    console.log(
      `      measured: ${USERS} enrollments on ${INSTANCES} pools in ${enrollMs.toFixed(0)} ms (${((USERS / enrollMs) * 1000).toFixed(0)}/s, one event's lock);` +
        ` redelivery of ${USERS} in ${redeliverMs.toFixed(0)} ms; ${LEAVING} unenrollments with promotion in ${unenrollMs.toFixed(0)} ms`,
    );
  });
});
