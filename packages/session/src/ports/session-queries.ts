import type { Session } from '../domain/session.js';

/**
 * Port: reads of committed sessions for the read-only use cases (GET /api/sessions/:id, gRPC
 * ValidateSession and GetSession), outside any unit of work.
 *
 * Why not `UnitOfWork<SessionScope>`: in PostgreSQL a unit of work is a transaction, so a read
 * through it costs BEGIN + SELECT + COMMIT where one statement gives the same answer. A single
 * statement already sees one committed snapshot, which is all these reads need; nothing is written.
 *
 * Contract (checked by `sessionQueriesContract`), the same answers as SessionRepository's methods
 * of the same name:
 * - Ids passed in are UUIDs (use cases reject anything else first); either case is accepted and
 *   ids come back lowercase.
 * - Every call is answered from committed data in one consistent snapshot; a unit of work still
 *   running or rolled back is never seen.
 * - Reads return copies: changing a returned object changes nothing stored.
 */
export interface SessionQueries {
  /** The session with its speakers in their order, or null when there is none with this id. */
  findById(id: string): Promise<Session | null>;

  /** The sessions with these ids that exist, each once, in (startsAt, id) order; unknown ids are left out; [] for []. */
  findByIds(ids: readonly string[]): Promise<Session[]>;
}
