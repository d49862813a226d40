import type { Session } from '../domain/session.js';
import type { TimeSlot } from '../domain/schedule.js';

/** The keyset position of a session in every list: (startsAt, id), both ascending. */
export interface SessionKey {
  readonly startsAt: Date;
  readonly id: string;
}

export interface SessionListQuery {
  /** Only sessions of this event. */
  readonly eventId?: string;
  /** Only sessions this speaker is in. */
  readonly speakerId?: string;
  /** Only sessions still running at or after this instant: `endsAt > from`. */
  readonly from?: Date;
  /** Only sessions that start before this instant: `startsAt < to`. */
  readonly to?: Date;
  /** Only sessions strictly after this key in (startsAt, id) order. */
  readonly after?: SessionKey | null;
  /** At most this many (≥ 1). */
  readonly limit: number;
}

/**
 * Port: the sessions table (with its speakers). Used only inside a unit of work; everything
 * written commits or rolls back with it.
 *
 * Contract shared by every adapter (checked by `sessionRepositoryContract`):
 * - Ids passed in are UUIDs (use cases reject anything else first); ids are stored and returned
 *   lowercase, and ordering by id is ordering of the lowercase hex string (= PostgreSQL uuid order).
 * - Times keep millisecond precision; `speakerIds` keeps its order.
 * - Reads return copies: changing a returned object changes nothing stored.
 * - Order of every list: (startsAt, id) ascending.
 * - Overlap means the half-open intervals overlap (`overlaps` in domain/schedule.ts): touching
 *   sessions do not overlap, identical ones do.
 * - Concurrency: the overlap queries are only race-free after `ScheduleLocks.acquire` on the keys
 *   of the booking in the same unit of work; see ScheduleLocks.
 */
export interface SessionRepository {
  /** Stores a new session. Throws `DuplicateSessionError` (code SESSION.ALREADY_EXISTS, kind conflict) when the id exists. */
  insert(session: Session): Promise<void>;

  /** The session, or null when there is none with this id. */
  findById(id: string): Promise<Session | null>;

  /** The sessions with these ids that exist, each once, in (startsAt, id) order; unknown ids are left out. */
  findByIds(ids: readonly string[]): Promise<Session[]>;

  /**
   * Replaces the stored session with `session` (including its new `version`) if the stored
   * version is `expectedVersion`. Throws `StaleVersionError` (SESSION.STALE_VERSION) when the
   * stored version differs or the session no longer exists; nothing is written then.
   */
  update(session: Session, expectedVersion: number): Promise<void>;

  /**
   * Deletes the session if its stored version is `expectedVersion`. Throws `StaleVersionError`
   * when the version differs or the session no longer exists.
   */
  delete(id: string, expectedVersion: number): Promise<void>;

  /** At most `limit` sessions matching every given filter, after `after`, in (startsAt, id) order. */
  list(query: SessionListQuery): Promise<Session[]>;

  /**
   * Sessions that share at least one of `speakerIds` and overlap `slot`, in any event or none,
   * except the session `excludeId` (the one being changed). Empty `speakerIds` → [].
   */
  findSpeakerOverlaps(speakerIds: readonly string[], slot: TimeSlot, excludeId: string | null): Promise<Session[]>;

  /**
   * Sessions of event `eventId` in the same room (same `roomKey`: trimmed, case-insensitive)
   * that overlap `slot`, except `excludeId`. Sessions without an event are never returned:
   * rooms only clash within one event.
   */
  findRoomOverlaps(eventId: string, room: string, slot: TimeSlot, excludeId: string | null): Promise<Session[]>;

  /** Every session the speaker is in (to detach a deleted speaker). */
  findBySpeaker(speakerId: string): Promise<Session[]>;
}
