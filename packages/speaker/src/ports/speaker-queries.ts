import type { Speaker } from '../domain/speaker.js';

/**
 * Port: reads of committed speakers for the read-only lookups (GET /api/speakers/:id, gRPC
 * GetSpeaker and BatchGetSpeakers, which the session service calls on its reads), outside any
 * unit of work.
 *
 * Why not `UnitOfWork<SpeakerScope>`: in PostgreSQL that is a transaction, BEGIN + SELECT + COMMIT
 * for what one statement answers, and one statement already sees one committed snapshot.
 *
 * Contract (checked by `speakerQueriesContract`), the answers of SpeakerRepository's methods of
 * the same name:
 * - Ids are lowercase UUIDs (callers normalise before asking).
 * - Answered from committed data only; a unit of work still running or rolled back is never seen.
 * - Reads return copies: changing a returned object changes nothing stored.
 */
export interface SpeakerQueries {
  /** The speaker with this id, or null when there is none. */
  findById(id: string): Promise<Speaker | null>;

  /** The speakers among `ids` that exist, each once, in no particular order; [] for []. */
  findByIds(ids: readonly string[]): Promise<Speaker[]>;
}
