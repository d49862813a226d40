import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import { DbDate, PostgresAdvisoryLocks, rowSchema, asUuid, timestamptz } from '@conference/adapters-postgres';
import type { ProgrammeEntry, ProgrammeRepository, SessionWatermark } from '@conference/event';

const EntryRow = rowSchema(
  t.type({
    event_id: t.string,
    session_id: t.string,
    title: t.string,
    starts_at: DbDate,
    ends_at: DbDate,
    room: t.string,
    source_version: t.number,
    linked_manually: t.boolean,
  }),
);
type EntryRow = t.TypeOf<typeof EntryRow>;

const WatermarkRow = rowSchema(t.type({ session_id: t.string, version: t.number, deleted: t.boolean }));
const EventIdRow = rowSchema(t.type({ event_id: t.string }));

const selectEntries = sql.fragment`
  SELECT es.event_id, es.session_id, es.title, es.starts_at, es.ends_at, es.room, es.source_version, es.linked_manually
  FROM event_sessions es`;

const toEntry = (row: EntryRow): ProgrammeEntry => ({
  eventId: row.event_id,
  sessionId: row.session_id,
  title: row.title,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  room: row.room,
  sourceVersion: row.source_version,
  linkedManually: row.linked_manually,
});

/**
 * ProgrammeRepository (event_sessions and session_watermarks) on the transaction connection of a
 * PostgresUnitOfWork, so a projected session.* message and its inbox record commit together.
 * Entries belong to an event of this database (foreign key): the use cases add one only after
 * locking its event, so a draft deleted meanwhile cannot leave an orphan.
 *
 * Reading a watermark locks the session for the rest of the unit of work (see `watermark`).
 */
export class PostgresProgrammeRepository implements ProgrammeRepository {
  constructor(private readonly connection: CommonQueryMethods) {}

  async upsert(entry: ProgrammeEntry): Promise<void> {
    await this.connection.query(sql.unsafe`
      INSERT INTO event_sessions (event_id, session_id, title, starts_at, ends_at, room, source_version, linked_manually)
      VALUES (${entry.eventId}, ${entry.sessionId}, ${entry.title}, ${timestamptz(entry.startsAt)}, ${timestamptz(entry.endsAt)},
              ${entry.room}, ${entry.sourceVersion}, ${entry.linkedManually})
      ON CONFLICT (event_id, session_id) DO UPDATE SET
        title = EXCLUDED.title, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, room = EXCLUDED.room,
        source_version = EXCLUDED.source_version, linked_manually = EXCLUDED.linked_manually`);
  }

  async find(eventId: string, sessionId: string): Promise<ProgrammeEntry | null> {
    const event = asUuid(eventId);
    const session = asUuid(sessionId);
    if (event === null || session === null) return null;
    const row = await this.connection.maybeOne(sql.type(EntryRow)`
      ${selectEntries} WHERE es.event_id = ${event} AND es.session_id = ${session}`);
    return row === null ? null : toEntry(row);
  }

  async remove(eventId: string, sessionId: string): Promise<boolean> {
    const event = asUuid(eventId);
    const session = asUuid(sessionId);
    if (event === null || session === null) return false;
    const result = await this.connection.query(sql.unsafe`
      DELETE FROM event_sessions WHERE event_id = ${event} AND session_id = ${session}`);
    return result.rowCount > 0;
  }

  async removeSession(sessionId: string): Promise<readonly string[]> {
    const session = asUuid(sessionId);
    if (session === null) return [];
    const rows = await this.connection.any(sql.type(EventIdRow)`
      DELETE FROM event_sessions WHERE session_id = ${session} RETURNING event_id`);
    return rows.map((row) => row.event_id);
  }

  async removeEvent(eventId: string): Promise<void> {
    const event = asUuid(eventId);
    if (event === null) return;
    await this.connection.query(sql.unsafe`DELETE FROM event_sessions WHERE event_id = ${event}`);
  }

  async listByEvent(eventId: string): Promise<readonly ProgrammeEntry[]> {
    const event = asUuid(eventId);
    if (event === null) return [];
    // session_id is a uuid: its order is the byte order of the lower-case text, as the domain's byStart compares.
    const rows = await this.connection.any(sql.type(EntryRow)`
      ${selectEntries} WHERE es.event_id = ${event} ORDER BY es.starts_at, es.session_id`);
    return rows.map(toEntry);
  }

  async findBySession(sessionId: string): Promise<readonly ProgrammeEntry[]> {
    const session = asUuid(sessionId);
    if (session === null) return [];
    const rows = await this.connection.any(sql.type(EntryRow)`${selectEntries} WHERE es.session_id = ${session}`);
    return rows.map(toEntry);
  }

  /**
   * Every use case that acts on session news reads the watermark first, decides on it, then writes
   * the entries and the new watermark. In memory units of work run one at a time; here two consumers
   * could both read version 1 and the one holding version 2 commit last, over version 3. So the read
   * takes a transaction-scoped advisory lock on the session: the second reader waits for the first to
   * commit and then sees its watermark. A row lock would not do: before the first message about a
   * session there is no row to lock. Released at commit or rollback.
   */
  async watermark(sessionId: string): Promise<SessionWatermark | null> {
    const session = asUuid(sessionId);
    if (session === null) return null;
    await new PostgresAdvisoryLocks(this.connection).acquire([`event.session-watermark:${session}`]);
    const row = await this.connection.maybeOne(sql.type(WatermarkRow)`
      SELECT session_id, version, deleted FROM session_watermarks WHERE session_id = ${session}`);
    return row === null ? null : { sessionId: row.session_id, version: row.version, deleted: row.deleted };
  }

  async saveWatermark(watermark: SessionWatermark): Promise<void> {
    // A plain replace, as the port says (callers only move it forward under their own reading of it).
    await this.connection.query(sql.unsafe`
      INSERT INTO session_watermarks (session_id, version, deleted)
      VALUES (${watermark.sessionId}, ${watermark.version}, ${watermark.deleted})
      ON CONFLICT (session_id) DO UPDATE SET version = EXCLUDED.version, deleted = EXCLUDED.deleted`);
  }
}
