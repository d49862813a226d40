import type { Speaker } from '../domain/speaker.js';

/** Where a speaker list continues: the name and id of the last speaker of the previous page. */
export interface SpeakerListPosition {
  readonly name: string;
  readonly id: string;
}

export interface SpeakerListQuery {
  /**
   * Case-insensitive substring of name, company or headline; taken literally (`%` and `_` are not
   * wildcards). Absent or empty: every speaker.
   */
  readonly q?: string | null;
  /** Only speakers strictly after this position in list order; absent: from the start. */
  readonly after?: SpeakerListPosition | null;
  /** At most this many speakers (≥ 1). The caller asks for one more than a page to see if another follows. */
  readonly limit: number;
}

/**
 * Port: the speakers table. Ids are lowercase UUIDs (callers normalise before asking).
 * Every method runs inside the unit of work that handed out the repository, so writes commit or
 * roll back with the rest of it (outbox messages included).
 */
export interface SpeakerRepository {
  /**
   * Stores a new speaker exactly as given (every field, including `version`).
   * Throws `UserAlreadyLinkedError` when `userId` is not null and another speaker already has it:
   * at most one profile per user account must hold under concurrent inserts too (a unique index,
   * not only a check). Any number of speakers may have `userId: null`. A duplicate `id` throws
   * (an id collision is a bug, not an expected outcome).
   */
  insert(speaker: Speaker): Promise<void>;

  /** The speaker with this id, or null when there is none. */
  findById(id: string): Promise<Speaker | null>;

  /** The speaker linked to this user account, or null when no profile is linked to it. */
  findByUserId(userId: string): Promise<Speaker | null>;

  /**
   * The speakers among `ids` that exist, each once even when asked for twice, in no particular
   * order. Ids that match nothing are left out; an empty list returns an empty list.
   */
  findByIds(ids: readonly string[]): Promise<Speaker[]>;

  /**
   * Replaces the stored speaker with `speaker` (every field, including the new `version`) if the
   * stored version equals `expectedVersion`. Throws `StaleVersionError` when the stored version
   * differs or the speaker no longer exists, and leaves the row unchanged; the check and the write
   * are one atomic step (`UPDATE ... WHERE id = $1 AND version = $2`). Throws
   * `UserAlreadyLinkedError` when the new `userId` belongs to another speaker.
   */
  update(speaker: Speaker, expectedVersion: number): Promise<void>;

  /**
   * Removes the speaker if its stored version equals `expectedVersion`; throws `StaleVersionError`
   * when the version differs or the speaker no longer exists. Its `userId` is free again afterwards.
   */
  delete(id: string, expectedVersion: number): Promise<void>;

  /**
   * Speakers matching `q`, ordered by (lower(name), id) — names that differ only by case sort by
   * id — starting strictly after `after` compared the same way, at most `limit` of them. The order
   * must be total and the same for every call, so keyset pages neither repeat nor skip a speaker
   * when others are added or removed between pages. (A SQL adapter compares `lower(name)` under
   * one fixed collation, e.g. `COLLATE "C"`, on both sides of the keyset condition.)
   */
  list(query: SpeakerListQuery): Promise<Speaker[]>;
}
