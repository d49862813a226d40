import { DomainError, StaleVersionError, type FieldIssue } from '@conference/kernel';

/**
 * The session context's expected failures, each with a stable code. Hosts map `kind` to HTTP/gRPC
 * status; clients and logs rely on `code`. Messages are for people and may change.
 */
export const SessionErrorCodes = {
  notFound: 'SESSION.NOT_FOUND',
  forbidden: 'SESSION.FORBIDDEN',
  invalid: 'SESSION.INVALID',
  invalidId: 'SESSION.INVALID_ID',
  invalidFilter: 'SESSION.INVALID_FILTER',
  endsBeforeStart: 'SESSION.ENDS_BEFORE_START',
  tooLong: 'SESSION.TOO_LONG',
  tooManySpeakers: 'SESSION.TOO_MANY_SPEAKERS',
  unknownSpeaker: 'SESSION.UNKNOWN_SPEAKER',
  speakerDoubleBooked: 'SESSION.SPEAKER_DOUBLE_BOOKED',
  roomDoubleBooked: 'SESSION.ROOM_DOUBLE_BOOKED',
  speakerAlreadyInSession: 'SESSION.SPEAKER_ALREADY_IN_SESSION',
  speakerNotInSession: 'SESSION.SPEAKER_NOT_IN_SESSION',
  staleVersion: 'SESSION.STALE_VERSION',
  alreadyExists: 'SESSION.ALREADY_EXISTS',
} as const;

export const sessionNotFound = (id: string): DomainError =>
  DomainError.notFound(SessionErrorCodes.notFound, `no session with id ${id}`);

export const cannotCreateSessions = (): DomainError =>
  DomainError.forbidden(SessionErrorCodes.forbidden, 'only organizers and admins create sessions');

export const notOwner = (id: string): DomainError =>
  DomainError.forbidden(SessionErrorCodes.forbidden, `only the owner of session ${id} or an admin may change it`);

export const invalidSession = (issues: readonly FieldIssue[]): DomainError =>
  DomainError.validation(SessionErrorCodes.invalid, 'The session is not valid', issues);

export const invalidSessionId = (id: string): DomainError =>
  DomainError.validation(SessionErrorCodes.invalidId, `${JSON.stringify(id)} is not a session id`, [{ path: 'id', message: 'must be a UUID' }]);

export const invalidFilter = (issues: readonly FieldIssue[]): DomainError =>
  DomainError.validation(SessionErrorCodes.invalidFilter, 'The session filter is not valid', issues);

export const endsBeforeStart = (): DomainError =>
  DomainError.validation(SessionErrorCodes.endsBeforeStart, 'a session must end after it starts', [{ path: 'endsAt', message: 'must be after startsAt' }]);

export const tooLong = (maxHours: number): DomainError =>
  DomainError.validation(SessionErrorCodes.tooLong, `a session lasts at most ${maxHours} hours; split longer workshops into one session per day`, [
    { path: 'endsAt', message: `must be at most ${maxHours} hours after startsAt` },
  ]);

export const tooManySpeakers = (max: number): DomainError =>
  DomainError.unprocessable(SessionErrorCodes.tooManySpeakers, `a session has at most ${max} speakers`, [{ path: 'speakerIds', message: `at most ${max}` }]);

/** `pathOf(id)` says where the caller named the id (`speakerIds[2]`, `speakerId`). */
export const unknownSpeakers = (missingIds: readonly string[], pathOf: (id: string) => string): DomainError =>
  DomainError.unprocessable(
    SessionErrorCodes.unknownSpeaker,
    `no speaker with id ${missingIds.join(', ')}`,
    missingIds.map((id) => ({ path: pathOf(id), message: `no speaker with id ${id}` })),
  );

export interface SpeakerClash {
  readonly speakerId: string;
  readonly otherSessionId: string;
  readonly otherTitle: string;
  readonly otherStartsAt: Date;
  readonly otherEndsAt: Date;
}

/** Names every double-booked speaker (the message leads with the first) and the session each is already in. */
export const speakerDoubleBooked = (clashes: readonly SpeakerClash[], pathOf: (speakerId: string) => string): DomainError => {
  const describe = (c: SpeakerClash) =>
    `speaker ${c.speakerId} is already in session ${c.otherSessionId} (${JSON.stringify(c.otherTitle)}, ${c.otherStartsAt.toISOString()} – ${c.otherEndsAt.toISOString()})`;
  const first = clashes[0];
  if (!first) throw new Error('speakerDoubleBooked needs at least one clash');
  return new DomainError(
    SessionErrorCodes.speakerDoubleBooked,
    'conflict',
    describe(first),
    clashes.map((c) => ({ path: pathOf(c.speakerId), message: describe(c) })),
  );
};

export const roomDoubleBooked = (room: string, other: { id: string; title: string; startsAt: Date; endsAt: Date }): DomainError =>
  new DomainError(
    SessionErrorCodes.roomDoubleBooked,
    'conflict',
    `room ${JSON.stringify(room)} is already taken by session ${other.id} (${JSON.stringify(other.title)}, ${other.startsAt.toISOString()} – ${other.endsAt.toISOString()})`,
    [{ path: 'room', message: `taken by session ${other.id}` }],
  );

export const speakerAlreadyInSession = (sessionId: string, speakerId: string): DomainError =>
  DomainError.conflict(SessionErrorCodes.speakerAlreadyInSession, `speaker ${speakerId} is already in session ${sessionId}`);

export const speakerNotInSession = (sessionId: string, speakerId: string): DomainError =>
  DomainError.notFound(SessionErrorCodes.speakerNotInSession, `speaker ${speakerId} is not in session ${sessionId}`);

/** The conflict a stale `version` gets; the same code the repository's StaleVersionError carries. */
export const staleSession = (id: string): StaleVersionError => new StaleVersionError('session', id);

/** Thrown by a repository on a second insert of the same id: ids are generated, so this is a bug, not input. */
export class DuplicateSessionError extends DomainError {
  constructor(id: string) {
    super(SessionErrorCodes.alreadyExists, 'conflict', `a session with id ${id} already exists`);
    this.name = 'DuplicateSessionError';
  }
}
