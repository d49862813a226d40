import * as t from 'io-ts';
import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { StaleVersionError } from '@conference/kernel';
import { DbDate, rowSchema, translateConstraintErrors, asUuid, containsNul, likeLiteral, pageLimit, sliceOf, timestamptz } from '@conference/adapters-postgres';
import { ACTIVE_STATUSES, EventErrors, type Event, type EventQuery, type EventRepository, type EventUpdate, type Keyset, type Slice } from '@conference/event';

/** The primary key of events (migrations/0001_events_enrollments_programme.sql). */
const EVENTS_PKEY = 'events_pkey';

/** An events row as the pool validates it; PostgresEventCatalog reads the same columns. */
export const eventColumns = {
  id: t.string,
  organizer_id: t.string,
  title: t.string,
  description: t.string,
  venue: t.string,
  starts_at: DbDate,
  ends_at: DbDate,
  capacity: t.number,
  status: t.keyof({ draft: null, published: null, cancelled: null }),
  seats_taken: t.number,
  created_at: DbDate,
  updated_at: DbDate,
  version: t.number,
};
const EventRow = rowSchema(t.type(eventColumns));
export type EventRow = t.TypeOf<typeof EventRow>;

export const eventFields = sql.fragment`
  e.id, e.organizer_id, e.title, e.description, e.venue, e.starts_at, e.ends_at, e.capacity,
  e.status, e.seats_taken, e.created_at, e.updated_at, e.version`;

const selectEvents = sql.fragment`SELECT ${eventFields} FROM events e`;

// Built field by field: a fresh object with fresh Dates, so a caller changing it changes nothing stored.
export const toEvent = (row: EventRow): Event => ({
  id: row.id,
  organizerId: row.organizer_id,
  title: row.title,
  description: row.description,
  venue: row.venue,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  capacity: row.capacity,
  status: row.status,
  seatsTaken: row.seats_taken,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

const NOTHING = sql.fragment`FALSE`;

const IdRow = rowSchema(t.type({ id: t.string }));

/**
 * EventRepository on the transaction connection of a PostgresUnitOfWork, so its writes commit or roll
 * back with the enrollments and outbox rows of the same unit of work.
 *
 * Seats: every path that takes or frees a seat reads the event through findForUpdate, a row lock
 * held to the end of the transaction. Enrollments of one event therefore queue on its row (and only
 * on its row: other events go on in parallel); under READ COMMITTED each statement after the lock
 * sees what the previous holder committed, so counts and waitlist orders are read fresh. The CHECK
 * `seats_taken <= capacity` is the backstop should a path ever skip the check.
 */
export class PostgresEventRepository implements EventRepository {
  constructor(private readonly connection: CommonQueryMethods) {}

  async insert(event: Event): Promise<void> {
    await translateConstraintErrors(
      () =>
        this.connection.query(sql.unsafe`
          INSERT INTO events (id, organizer_id, title, description, venue, starts_at, ends_at, capacity,
                              status, seats_taken, created_at, updated_at, version)
          VALUES (${event.id}, ${event.organizerId}, ${event.title}, ${event.description}, ${event.venue},
                  ${timestamptz(event.startsAt)}, ${timestamptz(event.endsAt)}, ${event.capacity},
                  ${event.status}, ${event.seatsTaken}, ${timestamptz(event.createdAt)}, ${timestamptz(event.updatedAt)},
                  ${event.version})`),
      { [EVENTS_PKEY]: () => EventErrors.alreadyExists(event.id) },
    );
  }

  async findById(id: string): Promise<Event | null> {
    const uuid = asUuid(id);
    if (uuid === null) return null;
    const row = await this.connection.maybeOne(sql.type(EventRow)`${selectEvents} WHERE e.id = ${uuid}`);
    return row === null ? null : toEvent(row);
  }

  async findForUpdate(id: string): Promise<Event | null> {
    const uuid = asUuid(id);
    if (uuid === null) return null;
    // The row lock is the one serialisation point of every seat change (see the class comment). Under
    // READ COMMITTED a waiter gets the row as the previous holder committed it, or nothing if it was deleted.
    const row = await this.connection.maybeOne(sql.type(EventRow)`${selectEvents} WHERE e.id = ${uuid} FOR UPDATE`);
    return row === null ? null : toEvent(row);
  }

  async findManyForUpdate(ids: readonly string[]): Promise<readonly Event[]> {
    const uuids = [...new Set(ids.flatMap((id) => asUuid(id) ?? []))].sort();
    if (uuids.length === 0) return [];
    // The sort sits below the row locks in the plan, so rows are locked in id order (uuid order is the
    // text order of lower-case ids): two batches with overlapping events queue instead of deadlocking.
    const rows = await this.connection.any(sql.type(EventRow)`
      ${selectEvents} WHERE e.id = ANY(${sql.array(uuids, 'uuid')}) ORDER BY e.id FOR UPDATE`);
    return rows.map(toEvent);
  }

  async updateMany(updates: readonly EventUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    for (const { event } of updates) if (asUuid(event.id) === null) throw new StaleVersionError('event', event.id);
    const sorted = [...updates].sort((a, b) => (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
    // As update, for every row in one statement: each row is written only where its version still matches.
    const updated = await this.connection.anyFirst(sql.type(IdRow)`
      UPDATE events SET
        organizer_id = u.organizer_id, title = u.title, description = u.description, venue = u.venue,
        starts_at = u.starts_at, ends_at = u.ends_at, capacity = u.capacity, status = u.status,
        seats_taken = u.seats_taken, created_at = u.created_at, updated_at = u.updated_at, version = u.version
      FROM ${sql.unnest(
        sorted.map(({ event, expectedVersion }) => [
          event.id.toLowerCase(),
          event.organizerId,
          event.title,
          event.description,
          event.venue,
          event.startsAt.toISOString(),
          event.endsAt.toISOString(),
          event.capacity,
          event.status,
          event.seatsTaken,
          event.createdAt.toISOString(),
          event.updatedAt.toISOString(),
          event.version,
          expectedVersion,
        ]),
        ['uuid', 'uuid', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'int4', 'text', 'int4', 'timestamptz', 'timestamptz', 'int4', 'int4'],
      )} AS u(id, organizer_id, title, description, venue, starts_at, ends_at, capacity, status, seats_taken, created_at, updated_at, version, expected_version)
      WHERE events.id = u.id AND events.version = u.expected_version
      RETURNING events.id`);
    const written = new Set(updated);
    const stale = sorted.find(({ event }) => !written.has(event.id.toLowerCase()));
    if (stale) throw new StaleVersionError('event', stale.event.id);
  }

  async update(event: Event, expectedVersion: number): Promise<void> {
    const id = asUuid(event.id);
    if (id === null) throw new StaleVersionError('event', event.id);
    // Check and write in one statement: a concurrent writer of the same row makes this one wait, then
    // re-check the version on the row it committed.
    const result = await this.connection.query(sql.unsafe`
      UPDATE events SET
        organizer_id = ${event.organizerId}, title = ${event.title}, description = ${event.description},
        venue = ${event.venue}, starts_at = ${timestamptz(event.startsAt)}, ends_at = ${timestamptz(event.endsAt)},
        capacity = ${event.capacity}, status = ${event.status}, seats_taken = ${event.seatsTaken},
        created_at = ${timestamptz(event.createdAt)}, updated_at = ${timestamptz(event.updatedAt)},
        version = ${event.version}
      WHERE id = ${id} AND version = ${expectedVersion}`);
    if (result.rowCount === 0) throw new StaleVersionError('event', event.id);
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    const uuid = asUuid(id);
    if (uuid === null) throw new StaleVersionError('event', id);
    // Enrollments and programme entries hold the event by foreign key (ON DELETE RESTRICT): the caller
    // removes them first, as DeleteEvent does; forgetting to is a bug and fails loudly.
    const result = await this.connection.query(sql.unsafe`DELETE FROM events WHERE id = ${uuid} AND version = ${expectedVersion}`);
    if (result.rowCount === 0) throw new StaleVersionError('event', id);
  }

  async list(query: EventQuery, page: Keyset): Promise<Slice<Event>> {
    const limit = pageLimit(page.limit);
    if (limit === 0) return { items: [], hasMore: false };
    const conditions = this.conditions(query);
    if (page.after) {
      const afterId = asUuid(page.after.id);
      // Positions come from cursors the use cases checked (readKeyset); anything else is a caller's bug.
      if (afterId === null) throw new TypeError(`event list position has an id that is not a UUID: ${JSON.stringify(page.after.id)}`);
      // uuid order is byte order, which for lower-case text is JavaScript's string order (the port's tie-break).
      conditions.push(sql.fragment`(e.starts_at, e.id) > (${timestamptz(page.after.at)}, ${afterId}::uuid)`);
    }
    const where = conditions.length > 0 ? sql.fragment`WHERE ${sql.join(conditions, sql.fragment` AND `)}` : sql.fragment``;
    const rows = await this.connection.any(sql.type(EventRow)`
      ${selectEvents} ${where} ORDER BY e.starts_at, e.id LIMIT ${limit + 1}`);
    return sliceOf(rows.map(toEvent), limit);
  }

  private conditions(query: EventQuery): FragmentSqlToken[] {
    const conditions: FragmentSqlToken[] = [];
    if (query.statuses && query.statuses.length > 0) {
      conditions.push(sql.fragment`e.status = ANY(${sql.array(query.statuses, 'text')})`);
    }
    switch (query.drafts.kind) {
      case 'all':
        break;
      case 'own': {
        const organizerId = asUuid(query.drafts.organizerId);
        // Someone whose id cannot be an organizer's owns no draft.
        conditions.push(organizerId === null ? sql.fragment`e.status <> 'draft'` : sql.fragment`(e.status <> 'draft' OR e.organizer_id = ${organizerId})`);
        break;
      }
      case 'none':
        conditions.push(sql.fragment`e.status <> 'draft'`);
        break;
    }
    if (query.from) conditions.push(sql.fragment`e.ends_at >= ${timestamptz(query.from)}`);
    if (query.to) conditions.push(sql.fragment`e.starts_at < ${timestamptz(query.to)}`);
    if (query.titleContains !== undefined) {
      if (containsNul(query.titleContains)) {
        conditions.push(NOTHING);
      } else {
        // ILIKE with an explicit escape character, and the text's own %, _ and \ escaped: a literal,
        // case-insensitive substring (case folding by the database's ctype, as lower() would).
        conditions.push(sql.fragment`e.title ILIKE ${`%${likeLiteral(query.titleContains)}%`} ESCAPE '\\'`);
      }
    }
    if (query.organizerId !== undefined) {
      const organizerId = asUuid(query.organizerId);
      conditions.push(organizerId === null ? NOTHING : sql.fragment`e.organizer_id = ${organizerId}`);
    }
    if (query.enrolledUserId !== undefined) {
      const userId = asUuid(query.enrolledUserId);
      conditions.push(
        userId === null
          ? NOTHING
          : sql.fragment`EXISTS (
              SELECT 1 FROM user_events ue
              WHERE ue.event_id = e.id AND ue.user_id = ${userId} AND ue.status = ANY(${sql.array(ACTIVE_STATUSES, 'text')}))`,
      );
    }
    return conditions;
  }
}
