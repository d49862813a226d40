import type { ProgrammeEntry, SessionWatermark } from '../domain/programme.js';

/**
 * Port: the event_sessions projection (one row per (eventId, sessionId)) and, beside it, the
 * newest version seen of every session (watermarks), so out-of-order session messages can be told
 * apart. Returned values are copies; dates round-trip to the millisecond.
 */
export interface ProgrammeRepository {
  /** Inserts, or replaces every field of, the entry for (eventId, sessionId). */
  upsert(entry: ProgrammeEntry): Promise<void>;
  find(eventId: string, sessionId: string): Promise<ProgrammeEntry | null>;
  /** Removes the session from one event's programme; false when it was not in it. */
  remove(eventId: string, sessionId: string): Promise<boolean>;
  /** Removes the session from every programme; returns the ids of the events it left, in no particular order. */
  removeSession(sessionId: string): Promise<readonly string[]>;
  /** Empties an event's programme (the event is being deleted). */
  removeEvent(eventId: string): Promise<void>;
  /** The event's programme ordered by (startsAt, sessionId). */
  listByEvent(eventId: string): Promise<readonly ProgrammeEntry[]>;
  /** Every entry of the session, one per event that lists it, in no particular order. */
  findBySession(sessionId: string): Promise<readonly ProgrammeEntry[]>;
  /** The watermark of a session, or null when nothing was ever heard of it. */
  watermark(sessionId: string): Promise<SessionWatermark | null>;
  /** Inserts or replaces a session's watermark (callers only ever move it forward). */
  saveWatermark(watermark: SessionWatermark): Promise<void>;
}
