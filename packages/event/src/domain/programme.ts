/**
 * The programme of an event (event_sessions): a copy of the sessions it lists, owned by the session
 * service and kept in step by session.* messages. Only what the schedule shows is copied.
 */
export interface ProgrammeEntry {
  readonly eventId: string;
  readonly sessionId: string;
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly room: string;
  /** The session's version this copy reflects; older news about the session is ignored. */
  readonly sourceVersion: number;
  /**
   * True when an organizer added an existing session by id; false when the session was created
   * for this event (its eventId), in which case it follows the session, not the organizer.
   */
  readonly linkedManually: boolean;
}

/** A session as the session service describes it (gRPC ValidateSession or a session.* message). */
export interface SessionSummary {
  readonly sessionId: string;
  readonly eventId: string | null;
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly room: string;
  readonly version: number;
}

/**
 * The newest version of a session the projection has taken in, and whether the session is gone.
 * Messages may arrive out of order (several consumers, retries with backoff): anything not newer,
 * and anything after a deletion, is ignored.
 */
export interface SessionWatermark {
  readonly sessionId: string;
  readonly version: number;
  readonly deleted: boolean;
}

export const isStaleNews = (watermark: SessionWatermark | null, version: number): boolean =>
  watermark !== null && (watermark.deleted || version <= watermark.version);

export const advanceWatermark = (watermark: SessionWatermark | null, sessionId: string, version: number, deleted = false): SessionWatermark => ({
  sessionId,
  version: Math.max(watermark?.version ?? 0, version),
  deleted: deleted || (watermark?.deleted ?? false),
});

export const entryFor = (eventId: string, session: SessionSummary, linkedManually: boolean): ProgrammeEntry => ({
  eventId,
  sessionId: session.sessionId,
  title: session.title,
  startsAt: new Date(session.startsAt),
  endsAt: new Date(session.endsAt),
  room: session.room,
  sourceVersion: session.version,
  linkedManually,
});

/**
 * The entry brought up to the session's newer version, or null when the entry is already as new.
 * A manual link becomes the session's own once the session says it belongs to this event.
 */
export function refreshEntry(entry: ProgrammeEntry, session: SessionSummary): ProgrammeEntry | null {
  if (session.version <= entry.sourceVersion) return null;
  return entryFor(entry.eventId, session, entry.linkedManually && session.eventId !== entry.eventId);
}

/** A session created for an event follows it: when the session moves to another event it leaves this programme. */
export const hasMovedAway = (entry: ProgrammeEntry, session: SessionSummary): boolean =>
  !entry.linkedManually && session.eventId !== entry.eventId;

export const byStart = (a: ProgrammeEntry, b: ProgrammeEntry): number =>
  a.startsAt.getTime() - b.startsAt.getTime() || (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0);
