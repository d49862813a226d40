import * as t from 'io-ts';
import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { DbDate, dbNullable, rowSchema, translateConstraintErrors } from '@conference/adapters-postgres';
import {
  DuplicateSessionError,
  roomKey,
  staleSession,
  type Session,
  type SessionListQuery,
  type SessionRepository,
  type TimeSlot,
} from '@conference/session';

const SessionRow = rowSchema(
  t.type({
    id: t.string,
    event_id: dbNullable(t.string),
    owner_id: t.string,
    title: t.string,
    abstract: t.string,
    starts_at: DbDate,
    ends_at: DbDate,
    room: t.string,
    created_at: DbDate,
    updated_at: DbDate,
    version: t.number,
    speaker_ids: t.array(t.string),
  }),
);
type SessionRow = t.TypeOf<typeof SessionRow>;

const IdRow = rowSchema(t.type({ id: t.string }));

const toSession = (row: SessionRow): Session => ({
  id: row.id,
  eventId: row.event_id,
  ownerId: row.owner_id,
  title: row.title,
  abstract: row.abstract,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  room: row.room,
  speakerIds: row.speaker_ids,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/**
 * An instant as a timestamptz parameter. The ISO string keeps the millisecond exactly (slonik's
 * sql.timestamp goes through a float of seconds) and reads plainly in the query log.
 */
const instant = (date: Date): FragmentSqlToken => sql.fragment`${date.toISOString()}::timestamptz`;

/** A uuid parameter; PostgreSQL accepts either case and answers lowercase, as the port requires. */
const uuid = (id: string): FragmentSqlToken => sql.fragment`${id}::uuid`;

/**
 * `ends_at > $instant`, plus the bound it implies: the CHECK sessions_at_most_24_hours keeps every
 * stored session within 24 hours, so a session that ends after `instant` starts after
 * `instant - 24h`. Stating it turns the open-ended range on starts_at into a bounded index range
 * scan. It is tied to the CHECK (what the stored rows guarantee), not to MAX_SESSION_HOURS (what
 * new writes are allowed): lowering the domain limit must not hide sessions stored before.
 */
const endsAfter = (at: Date): FragmentSqlToken =>
  sql.fragment`s.ends_at > ${instant(at)} AND s.starts_at > ${instant(at)} - interval '24 hours'`;

/** Half-open overlap with `slot` (`overlaps` in domain/schedule.ts): touching is not overlapping. */
const overlapping = (slot: TimeSlot): FragmentSqlToken => sql.fragment`s.starts_at < ${instant(slot.endsAt)} AND ${endsAfter(slot.startsAt)}`;

const notExcluded = (excludeId: string | null): FragmentSqlToken[] => (excludeId === null ? [] : [sql.fragment`s.id <> ${uuid(excludeId)}`]);

const withSpeaker = (speakerIds: readonly string[]): FragmentSqlToken =>
  sql.fragment`s.id IN (SELECT sp.session_id FROM session_speakers sp WHERE sp.speaker_id = ANY(${sql.array(speakerIds, 'uuid')}))`;

/**
 * SessionRepository on the sessions and session_speakers tables, on the connection of one
 * transaction (PostgresUnitOfWork), so its writes commit or roll back with the unit of work.
 * Its contract is in packages/session/src/ports/session-repository.ts.
 */
export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly connection: CommonQueryMethods) {}

  async insert(session: Session): Promise<void> {
    await translateConstraintErrors(
      () =>
        this.connection.query(sql.unsafe`
          INSERT INTO sessions (id, event_id, owner_id, title, abstract, starts_at, ends_at, room, room_key, created_at, updated_at, version)
          VALUES (
            ${uuid(session.id)}, ${session.eventId === null ? null : uuid(session.eventId)}, ${uuid(session.ownerId)},
            ${session.title}, ${session.abstract}, ${instant(session.startsAt)}, ${instant(session.endsAt)},
            ${session.room}, ${roomKey(session.room)}, ${instant(session.createdAt)}, ${instant(session.updatedAt)}, ${session.version}
          )`),
      { sessions_pkey: () => new DuplicateSessionError(session.id.toLowerCase()) },
    );
    await this.insertSpeakers(session.id, session.speakerIds);
  }

  async findById(id: string): Promise<Session | null> {
    // The hottest read (GET /api/sessions/:id, gRPC GetSession): named, so each connection parses and plans it once.
    const [found] = await this.select([sql.fragment`s.id = ${uuid(id)}`], undefined, 'sessions_by_id');
    return found ?? null;
  }

  async findByIds(ids: readonly string[]): Promise<Session[]> {
    if (ids.length === 0) return [];
    // The batched findById of PostgresSessionQueries: named, so each connection parses and plans it once.
    return this.select([sql.fragment`s.id = ANY(${sql.array(ids, 'uuid')})`], undefined, 'sessions_by_ids');
  }

  async update(session: Session, expectedVersion: number): Promise<void> {
    // Replaces every column, as the port says, and only at the version the caller read.
    const updated = await this.connection.maybeOne(sql.type(IdRow)`
      UPDATE sessions SET
        event_id = ${session.eventId === null ? null : uuid(session.eventId)},
        owner_id = ${uuid(session.ownerId)},
        title = ${session.title},
        abstract = ${session.abstract},
        starts_at = ${instant(session.startsAt)},
        ends_at = ${instant(session.endsAt)},
        room = ${session.room},
        room_key = ${roomKey(session.room)},
        created_at = ${instant(session.createdAt)},
        updated_at = ${instant(session.updatedAt)},
        version = ${session.version}
      WHERE id = ${uuid(session.id)} AND version = ${expectedVersion}
      RETURNING id`);
    if (updated === null) throw staleSession(session.id.toLowerCase());
    // Delete and re-insert rather than diff: at most SPEAKERS_MAX rows, and positions change
    // whenever the order does. UNIQUE (session_id, position) is not deferrable, so delete first.
    await this.connection.query(sql.unsafe`DELETE FROM session_speakers WHERE session_id = ${uuid(session.id)}`);
    await this.insertSpeakers(session.id, session.speakerIds);
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    // session_speakers rows go with it (ON DELETE CASCADE).
    const deleted = await this.connection.maybeOne(sql.type(IdRow)`
      DELETE FROM sessions WHERE id = ${uuid(id)} AND version = ${expectedVersion} RETURNING id`);
    if (deleted === null) throw staleSession(id.toLowerCase());
  }

  async list(query: SessionListQuery): Promise<Session[]> {
    const conditions: FragmentSqlToken[] = [];
    if (query.eventId !== undefined) conditions.push(sql.fragment`s.event_id = ${uuid(query.eventId)}`);
    if (query.speakerId !== undefined) conditions.push(withSpeaker([query.speakerId]));
    if (query.from !== undefined) conditions.push(endsAfter(query.from));
    if (query.to !== undefined) conditions.push(sql.fragment`s.starts_at < ${instant(query.to)}`);
    if (query.after) conditions.push(sql.fragment`(s.starts_at, s.id) > (${instant(query.after.startsAt)}, ${uuid(query.after.id)})`);
    return this.select(conditions, Math.max(0, Math.floor(query.limit)));
  }

  async findSpeakerOverlaps(speakerIds: readonly string[], slot: TimeSlot, excludeId: string | null): Promise<Session[]> {
    if (speakerIds.length === 0) return [];
    return this.select([withSpeaker(speakerIds), overlapping(slot), ...notExcluded(excludeId)]);
  }

  async findRoomOverlaps(eventId: string, room: string, slot: TimeSlot, excludeId: string | null): Promise<Session[]> {
    // Compares the stored room_key with the domain's roomKey(): the same function decides on both sides.
    return this.select([
      sql.fragment`s.event_id = ${uuid(eventId)}`,
      sql.fragment`s.room_key = ${roomKey(room)}`,
      overlapping(slot),
      ...notExcluded(excludeId),
    ]);
  }

  async findBySpeaker(speakerId: string): Promise<Session[]> {
    return this.select([withSpeaker([speakerId])]);
  }

  private async insertSpeakers(sessionId: string, speakerIds: readonly string[]): Promise<void> {
    if (speakerIds.length === 0) return;
    // WITH ORDINALITY numbers the ids in the order given, which is the order speakerIds keeps.
    await this.connection.query(sql.unsafe`
      INSERT INTO session_speakers (session_id, speaker_id, position)
      SELECT ${uuid(sessionId)}, speaker.id, (speaker.ordinality - 1)::smallint
      FROM unnest(${sql.array(speakerIds, 'uuid')}) WITH ORDINALITY AS speaker (id, ordinality)`);
  }

  /**
   * Sessions matching every condition, in (starts_at, id) order — the order of every list of the
   * port — each with its speakers in their stored order. ARRAY(subquery) yields '{}' for a
   * session without speakers, and runs only for the rows returned. `preparedAs` names a statement whose
   * text never varies, for PostgreSQL to keep parsed and planned per connection (the pool keeps sessions).
   */
  private async select(conditions: readonly FragmentSqlToken[], limit?: number, preparedAs?: string): Promise<Session[]> {
    const where = conditions.length === 0 ? sql.fragment`TRUE` : sql.join(conditions, sql.fragment` AND `);
    const rows = await this.connection.any((preparedAs === undefined ? sql.type(SessionRow) : sql.prepared(preparedAs, SessionRow))`
      SELECT
        s.id, s.event_id, s.owner_id, s.title, s.abstract, s.starts_at, s.ends_at, s.room,
        s.created_at, s.updated_at, s.version,
        ARRAY(SELECT sp.speaker_id::text FROM session_speakers sp WHERE sp.session_id = s.id ORDER BY sp.position) AS speaker_ids
      FROM sessions s
      WHERE ${where}
      ORDER BY s.starts_at, s.id
      ${limit === undefined ? sql.fragment`` : sql.fragment`LIMIT ${limit}`}`);
    return rows.map(toSession);
  }
}
