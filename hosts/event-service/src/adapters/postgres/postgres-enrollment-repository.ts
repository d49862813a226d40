import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import { DbDate, dbNullable, rowSchema, asUuid, pageLimit, sliceOf, timestamptz } from '@conference/adapters-postgres';
import {
  ACTIVE_STATUSES,
  ENROLLMENT_STATUSES,
  RejectionReasons,
  type Enrollment,
  type EnrollmentAndQueueHead,
  type EnrollmentCounts,
  type EnrollmentRepository,
  type EnrollmentsWithQueues,
  type PlacedEnrollment,
  type QueueRead,
  type EnrollmentStatus,
  type Keyset,
  type Slice,
  type WaitlistTail,
} from '@conference/event';

const Status = t.keyof({ enrolled: null, waitlisted: null, rejected: null, cancelled: null });
const Reason = t.keyof(Object.fromEntries(Object.values(RejectionReasons).map((reason) => [reason, null])) as Record<(typeof RejectionReasons)[keyof typeof RejectionReasons], null>);

const enrollmentColumns = {
  event_id: t.string,
  user_id: t.string,
  email: t.string,
  name: t.string,
  status: Status,
  waitlist_order: dbNullable(t.number),
  reason: dbNullable(Reason),
  requested_at: DbDate,
  created_at: DbDate,
  updated_at: DbDate,
};
const EnrollmentRow = rowSchema(t.type(enrollmentColumns));
type EnrollmentRow = t.TypeOf<typeof EnrollmentRow>;
const RoleRow = rowSchema(t.type({ ...enrollmentColumns, role: t.keyof({ mine: null, head: null }) }));

/**
 * A row of findManyWithQueues: `mine` (a pair's enrollment with its position), `head` (a queue's
 * head) or `tail` (a queue's waitlistTail, with only event_id of the enrollment columns).
 */
const BatchRow = rowSchema(
  t.type({
    role: t.keyof({ mine: null, head: null, tail: null }),
    event_id: t.string,
    user_id: dbNullable(t.string),
    email: dbNullable(t.string),
    name: dbNullable(t.string),
    status: dbNullable(Status),
    waitlist_order: dbNullable(t.number),
    reason: dbNullable(Reason),
    requested_at: dbNullable(DbDate),
    created_at: dbNullable(DbDate),
    updated_at: dbNullable(DbDate),
    position: dbNullable(t.number),
    next: dbNullable(t.number),
    length: dbNullable(t.number),
  }),
);
type BatchRow = t.TypeOf<typeof BatchRow>;

const CountRow = rowSchema(t.type({ status: Status, count: t.number }));
const TailRow = rowSchema(t.type({ next: t.number, length: t.number }));
const PositionRow = rowSchema(t.type({ position: t.number }));

const enrollmentFields = sql.fragment`
  ue.event_id, ue.user_id, ue.email, ue.name, ue.status, ue.waitlist_order, ue.reason,
  ue.requested_at, ue.created_at, ue.updated_at`;

const selectEnrollments = sql.fragment`SELECT ${enrollmentFields} FROM user_events ue`;

const toEnrollment = (row: EnrollmentRow): Enrollment => ({
  eventId: row.event_id,
  userId: row.user_id,
  email: row.email,
  name: row.name,
  status: row.status,
  waitlistOrder: row.waitlist_order,
  reason: row.reason,
  requestedAt: row.requested_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A `mine` or `head` row of findManyWithQueues, whose enrollment columns are all set. */
function fromBatchRow(row: BatchRow): Enrollment {
  const { user_id, email, name, status, requested_at, created_at, updated_at } = row;
  if (user_id === null || email === null || name === null || status === null || requested_at === null || created_at === null || updated_at === null) {
    throw new TypeError(`an enrollment row of the batch read lacks a column: ${JSON.stringify(row)}`);
  }
  return toEnrollment({ ...row, user_id, email, name, status, requested_at, created_at, updated_at });
}

const active = sql.array(ACTIVE_STATUSES, 'text');

/**
 * EnrollmentRepository (user_events) on the transaction connection of a PostgresUnitOfWork.
 *
 * Writes happen while the unit of work holds the event's row lock (EventRepository.findForUpdate),
 * which is what keeps the waitlist order (max + 1) and the seat count consistent; the partial unique
 * index on (event_id, waitlist_order) among waitlisted rows is the backstop should a path skip it.
 * Every enrollment belongs to an event of this database (foreign key): the use cases save one only
 * after finding its event.
 */
export class PostgresEnrollmentRepository implements EnrollmentRepository {
  constructor(private readonly connection: CommonQueryMethods) {}

  async find(eventId: string, userId: string): Promise<Enrollment | null> {
    const event = asUuid(eventId);
    const user = asUuid(userId);
    if (event === null || user === null) return null;
    const row = await this.connection.maybeOne(sql.type(EnrollmentRow)`
      ${selectEnrollments} WHERE ue.event_id = ${event} AND ue.user_id = ${user}`);
    return row === null ? null : toEnrollment(row);
  }

  async findWithQueueHead(eventId: string, userId: string): Promise<EnrollmentAndQueueHead> {
    const event = asUuid(eventId);
    const user = asUuid(userId);
    if (event === null) return { enrollment: null, queueHead: null };
    if (user === null) return { enrollment: null, queueHead: await this.firstWaitlisted(event) };
    // One round trip for two primary-key/index lookups; a user at the head of the queue comes twice, once per role.
    const rows = await this.connection.any(sql.type(RoleRow)`
      (SELECT 'mine' AS role, ${enrollmentFields} FROM user_events ue WHERE ue.event_id = ${event} AND ue.user_id = ${user})
      UNION ALL
      (SELECT 'head' AS role, ${enrollmentFields} FROM user_events ue WHERE ue.event_id = ${event} AND ue.status = 'waitlisted'
       ORDER BY ue.waitlist_order LIMIT 1)`);
    const mine = rows.find((row) => row.role === 'mine');
    const head = rows.find((row) => row.role === 'head');
    return { enrollment: mine ? toEnrollment(mine) : null, queueHead: head ? toEnrollment(head) : null };
  }

  async findManyWithQueues(
    pairs: readonly { readonly eventId: string; readonly userId: string }[],
    queues: readonly { readonly eventId: string; readonly heads: number }[],
  ): Promise<EnrollmentsWithQueues> {
    const pairKeys = new Set<string>();
    const pairEvents: string[] = [];
    const pairUsers: string[] = [];
    for (const pair of pairs) {
      const event = asUuid(pair.eventId);
      const user = asUuid(pair.userId);
      if (event === null || user === null || pairKeys.has(`${event}/${user}`)) continue;
      pairKeys.add(`${event}/${user}`);
      pairEvents.push(event);
      pairUsers.push(user);
    }
    const queueEvents: string[] = [];
    const queueHeads: number[] = [];
    for (const queue of queues) {
      const event = asUuid(queue.eventId);
      if (event === null) continue;
      queueEvents.push(event);
      queueHeads.push(Math.max(Math.trunc(queue.heads), 0));
    }
    if (pairEvents.length === 0 && queueEvents.length === 0) return { enrollments: [], queues: [] };
    // One round trip for everything a batch of requests reads under its events' locks: index lookups
    // for the pairs (with a position counted for the waitlisted ones), the first waitlisted of each
    // queue and each queue's end. The enrollment columns are null on tail rows.
    const rows = await this.connection.any(sql.type(BatchRow)`
      WITH pairs AS (
        SELECT * FROM unnest(${sql.array(pairEvents, 'uuid')}::uuid[], ${sql.array(pairUsers, 'uuid')}::uuid[]) AS p(event_id, user_id)
      ), queues AS (
        SELECT * FROM unnest(${sql.array(queueEvents, 'uuid')}::uuid[], ${sql.array(queueHeads, 'int4')}::int4[]) AS q(event_id, heads)
      )
      SELECT 'mine' AS role, ${enrollmentFields},
             CASE WHEN ue.status = 'waitlisted' THEN (
               SELECT count(*) FROM user_events ahead
               WHERE ahead.event_id = ue.event_id AND ahead.status = 'waitlisted' AND ahead.waitlist_order <= ue.waitlist_order)
             END AS position,
             NULL::int4 AS next, NULL::int8 AS length
      FROM pairs p JOIN user_events ue ON ue.event_id = p.event_id AND ue.user_id = p.user_id
      UNION ALL
      SELECT 'head', h.*, NULL::int8, NULL::int4, NULL::int8
      FROM queues q CROSS JOIN LATERAL (
        SELECT ${enrollmentFields} FROM user_events ue
        WHERE ue.event_id = q.event_id AND ue.status = 'waitlisted' ORDER BY ue.waitlist_order LIMIT q.heads) h
      UNION ALL
      SELECT 'tail', q.event_id, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::int4, NULL::text,
             NULL::timestamptz, NULL::timestamptz, NULL::timestamptz, NULL::int8, w.next, w.length
      FROM queues q CROSS JOIN LATERAL (
        SELECT (coalesce(max(waitlist_order), 0) + 1)::int4 AS next, count(*) AS length
        FROM user_events WHERE event_id = q.event_id AND status = 'waitlisted') w`);
    const enrollments: PlacedEnrollment[] = [];
    const heads = new Map<string, Enrollment[]>();
    const tails = new Map<string, WaitlistTail>();
    for (const row of rows) {
      if (row.role === 'mine') enrollments.push({ enrollment: fromBatchRow(row), position: row.position });
      else if (row.role === 'head') heads.set(row.event_id, [...(heads.get(row.event_id) ?? []), fromBatchRow(row)]);
      else tails.set(row.event_id, { nextOrder: row.next ?? 1, length: row.length ?? 0 });
    }
    // UNION ALL keeps no order between rows: the heads are put back in queue order here.
    const read: QueueRead[] = queueEvents.map((eventId) => ({
      eventId,
      heads: (heads.get(eventId) ?? []).sort((a, b) => (a.waitlistOrder ?? 0) - (b.waitlistOrder ?? 0)),
      tail: tails.get(eventId) ?? { nextOrder: 1, length: 0 },
    }));
    return { enrollments, queues: read };
  }

  async saveMany(enrollments: readonly Enrollment[]): Promise<void> {
    if (enrollments.length === 0) return;
    // Rows leaving a waitlist are written before rows joining one: a joiner may take the order a leaver
    // had, and the unique index on (event_id, waitlist_order) is checked row by row, not at the end.
    const ordered = [...enrollments.filter((e) => e.status !== 'waitlisted'), ...enrollments.filter((e) => e.status === 'waitlisted')];
    await this.connection.query(sql.unsafe`
      INSERT INTO user_events (event_id, user_id, email, name, status, waitlist_order, reason, requested_at, created_at, updated_at)
      SELECT event_id, user_id, email, name, status, waitlist_order, reason, requested_at, created_at, updated_at
      FROM ${sql.unnest(
        ordered.map((e) => [
          e.eventId,
          e.userId,
          e.email,
          e.name,
          e.status,
          e.waitlistOrder,
          e.reason,
          e.requestedAt.toISOString(),
          e.createdAt.toISOString(),
          e.updatedAt.toISOString(),
        ]),
        ['uuid', 'uuid', 'text', 'text', 'text', 'int4', 'text', 'timestamptz', 'timestamptz', 'timestamptz'],
      )} WITH ORDINALITY AS r(event_id, user_id, email, name, status, waitlist_order, reason, requested_at, created_at, updated_at, n)
      ORDER BY n
      ON CONFLICT (event_id, user_id) DO UPDATE SET
        email = EXCLUDED.email, name = EXCLUDED.name, status = EXCLUDED.status,
        waitlist_order = EXCLUDED.waitlist_order, reason = EXCLUDED.reason,
        requested_at = EXCLUDED.requested_at, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`);
  }

  async save(enrollment: Enrollment): Promise<void> {
    // One statement, so a save is atomic on the primary key (one enrollment per user and event).
    await this.connection.query(sql.unsafe`
      INSERT INTO user_events (event_id, user_id, email, name, status, waitlist_order, reason, requested_at, created_at, updated_at)
      VALUES (${enrollment.eventId}, ${enrollment.userId}, ${enrollment.email}, ${enrollment.name}, ${enrollment.status},
              ${enrollment.waitlistOrder}, ${enrollment.reason}, ${timestamptz(enrollment.requestedAt)},
              ${timestamptz(enrollment.createdAt)}, ${timestamptz(enrollment.updatedAt)})
      ON CONFLICT (event_id, user_id) DO UPDATE SET
        email = EXCLUDED.email, name = EXCLUDED.name, status = EXCLUDED.status,
        waitlist_order = EXCLUDED.waitlist_order, reason = EXCLUDED.reason,
        requested_at = EXCLUDED.requested_at, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`);
  }

  async firstWaitlisted(eventId: string): Promise<Enrollment | null> {
    const event = asUuid(eventId);
    if (event === null) return null;
    const row = await this.connection.maybeOne(sql.type(EnrollmentRow)`
      ${selectEnrollments} WHERE ue.event_id = ${event} AND ue.status = 'waitlisted'
      ORDER BY ue.waitlist_order LIMIT 1`);
    return row === null ? null : toEnrollment(row);
  }

  async waitlistTail(eventId: string): Promise<WaitlistTail> {
    const event = asUuid(eventId);
    if (event === null) return { nextOrder: 1, length: 0 };
    const row = await this.connection.one(sql.type(TailRow)`
      SELECT coalesce(max(waitlist_order), 0) + 1 AS next, count(*) AS length
      FROM user_events WHERE event_id = ${event} AND status = 'waitlisted'`);
    return { nextOrder: row.next, length: row.length };
  }

  async waitlistPosition(eventId: string, userId: string): Promise<number | null> {
    const event = asUuid(eventId);
    const user = asUuid(userId);
    if (event === null || user === null) return null;
    // Counted, not stored, so everyone behind moves up when someone ahead leaves.
    const row = await this.connection.maybeOne(sql.type(PositionRow)`
      SELECT (SELECT count(*) FROM user_events ahead
              WHERE ahead.event_id = me.event_id AND ahead.status = 'waitlisted' AND ahead.waitlist_order <= me.waitlist_order) AS position
      FROM user_events me
      WHERE me.event_id = ${event} AND me.user_id = ${user} AND me.status = 'waitlisted'`);
    return row === null ? null : row.position;
  }

  async listByEvent(eventId: string, statuses: readonly EnrollmentStatus[], page: Keyset): Promise<Slice<Enrollment>> {
    const event = asUuid(eventId);
    const limit = pageLimit(page.limit);
    if (event === null || limit === 0) return { items: [], hasMore: false };
    const conditions = [sql.fragment`ue.event_id = ${event}`];
    if (statuses.length > 0) conditions.push(sql.fragment`ue.status = ANY(${sql.array(statuses, 'text')})`);
    if (page.after) conditions.push(sql.fragment`(ue.created_at, ue.user_id) > (${timestamptz(page.after.at)}, ${keyId(page.after.id)}::uuid)`);
    const rows = await this.connection.any(sql.type(EnrollmentRow)`
      ${selectEnrollments} WHERE ${sql.join(conditions, sql.fragment` AND `)}
      ORDER BY ue.created_at, ue.user_id LIMIT ${limit + 1}`);
    return sliceOf(rows.map(toEnrollment), limit);
  }

  async listByUser(userId: string, page: Keyset): Promise<Slice<Enrollment>> {
    const user = asUuid(userId);
    const limit = pageLimit(page.limit);
    if (user === null || limit === 0) return { items: [], hasMore: false };
    const conditions = [sql.fragment`ue.user_id = ${user}`];
    if (page.after) conditions.push(sql.fragment`(ue.created_at, ue.event_id) > (${timestamptz(page.after.at)}, ${keyId(page.after.id)}::uuid)`);
    const rows = await this.connection.any(sql.type(EnrollmentRow)`
      ${selectEnrollments} WHERE ${sql.join(conditions, sql.fragment` AND `)}
      ORDER BY ue.created_at, ue.event_id LIMIT ${limit + 1}`);
    return sliceOf(rows.map(toEnrollment), limit);
  }

  async listActive(eventId: string): Promise<readonly Enrollment[]> {
    const event = asUuid(eventId);
    if (event === null) return [];
    const rows = await this.connection.any(sql.type(EnrollmentRow)`
      ${selectEnrollments} WHERE ue.event_id = ${event} AND ue.status = ANY(${active})
      ORDER BY ue.created_at, ue.user_id`);
    return rows.map(toEnrollment);
  }

  async counts(eventId: string): Promise<EnrollmentCounts> {
    const counts = Object.fromEntries(ENROLLMENT_STATUSES.map((status) => [status, 0])) as Record<EnrollmentStatus, number>;
    const event = asUuid(eventId);
    if (event === null) return counts;
    const rows = await this.connection.any(sql.type(CountRow)`
      SELECT status, count(*) AS count FROM user_events WHERE event_id = ${event} GROUP BY status`);
    for (const row of rows) counts[row.status] = row.count;
    return counts;
  }

  async deleteByEvent(eventId: string): Promise<void> {
    const event = asUuid(eventId);
    if (event === null) return;
    await this.connection.query(sql.unsafe`DELETE FROM user_events WHERE event_id = ${event}`);
  }
}

/** Positions come from cursors the use cases checked (readKeyset); anything else is a caller's bug. */
function keyId(id: string): string {
  const uuid = asUuid(id);
  if (uuid === null) throw new TypeError(`enrollment list position has an id that is not a UUID: ${JSON.stringify(id)}`);
  return uuid;
}
