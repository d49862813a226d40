import { err, isUuid, ok, type FieldIssue, type Result, type DomainError } from '@conference/kernel';
import { endsBeforeStart, invalidSession, speakerAlreadyInSession, speakerNotInSession, tooLong, tooManySpeakers } from './errors.js';

export const TITLE_MAX = 200;
export const ABSTRACT_MAX = 5000;
export const ROOM_MAX = 100;
export const SPEAKERS_MAX = 20;
/**
 * The longest a session may run. A talk or workshop sits in a day's schedule; a session that
 * spans days is almost always a mistyped date, and it would block its speakers and room for all
 * of that time. Multi-day workshops are one session per day.
 */
export const MAX_SESSION_HOURS = 24;
const MAX_SESSION_MS = MAX_SESSION_HOURS * 60 * 60 * 1000;

/**
 * A talk or workshop. Immutable data: every change goes through the functions below, which keep
 * the invariants (bounded texts, ends after it starts and within MAX_SESSION_HOURS, unique UUID
 * speaker ids, at most SPEAKERS_MAX) and bump `version` and `updatedAt`.
 * Plain data rather than a class so it survives structured cloning and database round-trips.
 */
export interface Session {
  readonly id: string;
  /** The event whose programme it belongs to, or null for a stand-alone session. */
  readonly eventId: string | null;
  /** The user who created it: with admins, the only one who may change it. */
  readonly ownerId: string;
  readonly title: string;
  readonly abstract: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly room: string;
  readonly speakerIds: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** 1 on creation, +1 on every change. */
  readonly version: number;
}

/** What a creator chooses. Texts are trimmed here too, whatever the edge did. */
export interface SessionDraft {
  readonly eventId: string | null;
  readonly title: string;
  readonly abstract: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly room: string;
  readonly speakerIds: readonly string[];
}

/**
 * What an update may change. The event is fixed at creation: session.updated carries no previous
 * event id, so the event service could not take the session out of the old programme.
 */
export type SessionChanges = Partial<Omit<SessionDraft, 'eventId'>>;

const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** Checks the fields of a draft; every failing field is reported, not just the first. */
function checkDraft(draft: SessionDraft): Result<SessionDraft, DomainError> {
  const issues: FieldIssue[] = [];
  const title = draft.title.trim();
  const abstract = draft.abstract.trim();
  const room = draft.room.trim();
  if (draft.eventId !== null && !isUuid(draft.eventId)) issues.push({ path: 'eventId', message: 'must be a UUID' });
  if (title.length < 1) issues.push({ path: 'title', message: 'must not be empty' });
  if (title.length > TITLE_MAX) issues.push({ path: 'title', message: `must be at most ${TITLE_MAX} characters` });
  if (abstract.length > ABSTRACT_MAX) issues.push({ path: 'abstract', message: `must be at most ${ABSTRACT_MAX} characters` });
  if (room.length < 1) issues.push({ path: 'room', message: 'must not be empty' });
  if (room.length > ROOM_MAX) issues.push({ path: 'room', message: `must be at most ${ROOM_MAX} characters` });
  if (!isValidDate(draft.startsAt)) issues.push({ path: 'startsAt', message: 'must be a valid date-time' });
  if (!isValidDate(draft.endsAt)) issues.push({ path: 'endsAt', message: 'must be a valid date-time' });
  if (draft.speakerIds.length > SPEAKERS_MAX) issues.push({ path: 'speakerIds', message: `must have at most ${SPEAKERS_MAX} speakers` });
  const seen = new Set<string>();
  draft.speakerIds.forEach((id, i) => {
    if (!isUuid(id)) issues.push({ path: `speakerIds[${i}]`, message: 'must be a UUID' });
    else if (seen.has(id.toLowerCase())) issues.push({ path: `speakerIds[${i}]`, message: 'is listed twice' });
    seen.add(id.toLowerCase());
  });
  if (issues.length > 0) return err(invalidSession(issues));
  if (draft.endsAt.getTime() <= draft.startsAt.getTime()) return err(endsBeforeStart());
  if (draft.endsAt.getTime() - draft.startsAt.getTime() > MAX_SESSION_MS) return err(tooLong(MAX_SESSION_HOURS));
  return ok({
    eventId: draft.eventId?.toLowerCase() ?? null,
    title,
    abstract,
    room,
    startsAt: new Date(draft.startsAt),
    endsAt: new Date(draft.endsAt),
    // Ids are kept lowercase so that comparisons and keyset order agree with PostgreSQL's uuid type.
    speakerIds: draft.speakerIds.map((id) => id.toLowerCase()),
  });
}

export function createSession(input: SessionDraft & { readonly id: string; readonly ownerId: string; readonly now: Date }): Result<Session, DomainError> {
  const draft = checkDraft(input);
  if (!draft.ok) return draft;
  return ok({
    id: input.id,
    ownerId: input.ownerId,
    ...draft.value,
    createdAt: new Date(input.now),
    updatedAt: new Date(input.now),
    version: 1,
  });
}

const sameTime = (a: Date, b: Date) => a.getTime() === b.getTime();
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Applies changes. `changed` is false when the result equals the session (then nothing should be
 * written or published, and the version stays).
 */
export function reviseSession(session: Session, changes: SessionChanges, now: Date): Result<{ session: Session; changed: boolean }, DomainError> {
  const draft = checkDraft({
    eventId: session.eventId,
    title: changes.title ?? session.title,
    abstract: changes.abstract ?? session.abstract,
    startsAt: changes.startsAt ?? session.startsAt,
    endsAt: changes.endsAt ?? session.endsAt,
    room: changes.room ?? session.room,
    speakerIds: changes.speakerIds ?? session.speakerIds,
  });
  if (!draft.ok) return draft;
  const d = draft.value;
  const changed =
    d.title !== session.title ||
    d.abstract !== session.abstract ||
    d.room !== session.room ||
    !sameTime(d.startsAt, session.startsAt) ||
    !sameTime(d.endsAt, session.endsAt) ||
    !sameList(d.speakerIds, session.speakerIds);
  if (!changed) return ok({ session, changed: false });
  return ok({ session: { ...session, ...d, updatedAt: new Date(now), version: session.version + 1 }, changed: true });
}

export function addSpeakerTo(session: Session, speakerId: string, now: Date): Result<Session, DomainError> {
  const id = speakerId.toLowerCase();
  if (session.speakerIds.includes(id)) return err(speakerAlreadyInSession(session.id, id));
  if (session.speakerIds.length >= SPEAKERS_MAX) return err(tooManySpeakers(SPEAKERS_MAX));
  return ok({ ...session, speakerIds: [...session.speakerIds, id], updatedAt: new Date(now), version: session.version + 1 });
}

export function removeSpeakerFrom(session: Session, speakerId: string, now: Date): Result<Session, DomainError> {
  const id = speakerId.toLowerCase();
  if (!session.speakerIds.includes(id)) return err(speakerNotInSession(session.id, id));
  return ok({ ...session, speakerIds: session.speakerIds.filter((s) => s !== id), updatedAt: new Date(now), version: session.version + 1 });
}

/** Speaker ids in `after` that were not in `before`: only those need to be checked with the speaker service. */
export const addedSpeakers = (before: readonly string[], after: readonly string[]): string[] => after.filter((id) => !before.includes(id));
