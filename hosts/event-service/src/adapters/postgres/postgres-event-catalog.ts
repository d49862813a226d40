import * as t from 'io-ts';
import { sql, type DatabasePool } from 'slonik';
import { BatchedLookup } from '@conference/kernel';
import { asUuid, rowSchema, whileDatabaseAvailable } from '@conference/adapters-postgres';
import type { CatalogEntry, Event, EventCatalog, EventQuery, Keyset, ProgrammeEntry, Slice } from '@conference/event';
import { PostgresEventRepository, eventColumns, eventFields, toEvent } from './postgres-event-repository.js';

/** A timestamptz inside json: ISO 8601 text with its offset, as PostgreSQL writes it there. */
const JsonDate = new t.Type<Date, string, unknown>(
  'JsonDate',
  (u): u is Date => u instanceof Date,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'must be a timestamptz as json text');
    const date = new Date(u);
    return Number.isNaN(date.getTime()) ? t.failure(u, c, 'must be a timestamptz as json text') : t.success(date);
  },
  (date) => date.toISOString(),
);

const ProgrammeItem = t.type({
  session_id: t.string,
  title: t.string,
  starts_at: JsonDate,
  ends_at: JsonDate,
  room: t.string,
  source_version: t.number,
  linked_manually: t.boolean,
});

const CatalogRow = rowSchema(t.type({ ...eventColumns, waitlisted: t.number, programme: t.array(ProgrammeItem) }));

/**
 * Events, their waitlist lengths and their programmes in one statement: one round trip, one
 * snapshot, and no BEGIN/COMMIT around it. The counts are answered from the partial index on
 * waitlisted rows, the programmes from event_sessions_event_order; session_id is a uuid, so ties
 * order as the domain's byStart compares the lower-case text.
 *
 * A named prepared statement: PostgreSQL parses and plans it once per connection instead of on
 * every call, and planning was most of this statement's cost (pgbench: 4.5k tps unprepared, 17k
 * prepared). It relies on the pool keeping sessions (no DISCARD ALL on release; see adapters-postgres).
 */
const findStatement = (ids: readonly string[]) => sql.prepared('event_catalog_find_many', CatalogRow)`
  SELECT ${eventFields},
    (SELECT count(*) FROM user_events ue WHERE ue.event_id = e.id AND ue.status = 'waitlisted') AS waitlisted,
    (SELECT coalesce(json_agg(json_build_object(
              'session_id', es.session_id, 'title', es.title, 'starts_at', es.starts_at, 'ends_at', es.ends_at,
              'room', es.room, 'source_version', es.source_version, 'linked_manually', es.linked_manually)
            ORDER BY es.starts_at, es.session_id), '[]'::json)
     FROM event_sessions es WHERE es.event_id = e.id) AS programme
  FROM events e WHERE e.id = ANY(${sql.array(ids, 'uuid')})`;

type CatalogRowType = t.TypeOf<typeof CatalogRow>;

/**
 * EventCatalog straight on the pool: each call is one statement in autocommit, so it holds no
 * connection between statements and takes no lock. Rows are validated by the pool like every other.
 *
 * Finds by id are group-committed (kernel BatchedLookup): the finds made in one turn of the event
 * loop, and those made while a read is running, are one statement. GET /api/events/:id is the most
 * frequent request, and one round trip per request was a third of the host's CPU in the profile
 * (the write(2) that wakes a PostgreSQL backend; bench/RESULTS.md).
 */
export class PostgresEventCatalog implements EventCatalog {
  // list is one statement already: the repository's query on the pool instead of a transaction.
  private readonly events: PostgresEventRepository;
  private readonly rows: BatchedLookup<string, CatalogRowType>;

  constructor(private readonly pool: DatabasePool) {
    this.events = new PostgresEventRepository(pool);
    this.rows = new BatchedLookup(async (ids) => {
      const rows = await whileDatabaseAvailable(() => this.pool.any(findStatement(ids)));
      return new Map(rows.map((row) => [row.id, row]));
      // Two reads in flight: a batch can start while the one before it is still in the database.
    }, { concurrency: 2 });
  }

  async find(id: string): Promise<CatalogEntry | null> {
    const uuid = asUuid(id);
    if (uuid === null) return null;
    // toEvent keeps the row's Dates: the lookup hands each caller a row of its own.
    const row = await this.rows.find(uuid);
    if (row === null) return null;
    const event: Event = toEvent(row);
    const programme: ProgrammeEntry[] = row.programme.map((item) => ({
      eventId: event.id,
      sessionId: item.session_id,
      title: item.title,
      startsAt: item.starts_at,
      endsAt: item.ends_at,
      room: item.room,
      sourceVersion: item.source_version,
      linkedManually: item.linked_manually,
    }));
    return { event, waitlisted: row.waitlisted, programme };
  }

  list(query: EventQuery, page: Keyset): Promise<Slice<Event>> {
    return whileDatabaseAvailable(() => this.events.list(query, page));
  }
}
