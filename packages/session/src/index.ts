// Domain
export {
  type Session,
  type SessionDraft,
  type SessionChanges,
  createSession,
  reviseSession,
  addSpeakerTo,
  removeSpeakerFrom,
  addedSpeakers,
  TITLE_MAX,
  ABSTRACT_MAX,
  ROOM_MAX,
  SPEAKERS_MAX,
  MAX_SESSION_HOURS,
} from './domain/session.js';
export { type TimeSlot, overlaps, roomKey, speakerLockKey, roomLockKey, scheduleLockKeys } from './domain/schedule.js';
export {
  SessionErrorCodes,
  DuplicateSessionError,
  type SpeakerClash,
  sessionNotFound,
  staleSession,
} from './domain/errors.js';

// Ports
export type { SessionRepository, SessionListQuery, SessionKey } from './ports/session-repository.js';
export type { ScheduleLocks } from './ports/schedule-locks.js';
export {
  type SpeakerDirectory,
  type SpeakerSummary,
  SpeakersNotFoundError,
  isSpeakersNotFound,
  SPEAKER_DIRECTORY_UNAVAILABLE,
  speakerDirectoryUnavailable,
} from './ports/speaker-directory.js';
export type { SessionScope } from './ports/session-scope.js';
export type { SessionQueries } from './ports/session-queries.js';

// Use cases
export { CreateSession, type CreateSessionInput } from './application/create-session.js';
export { UpdateSession, type UpdateSessionInput } from './application/update-session.js';
export { DeleteSession, type DeleteSessionInput } from './application/delete-session.js';
export { GetSession, type SessionDetails } from './application/get-session.js';
export { ListSessions, type ListSessionsInput, sessionCursor } from './application/list-sessions.js';
export { AddSpeaker, type AddSpeakerInput } from './application/add-speaker.js';
export { RemoveSpeaker, type RemoveSpeakerInput } from './application/remove-speaker.js';
export { DetachSpeaker, type DetachSpeakerInput, type DetachSpeakerOutput, SPEAKER_DELETED_CONSUMER } from './application/detach-speaker.js';
export { ValidateSession, type SessionSummary, toSummary } from './application/validate-session.js';
export { GetSessionsByIds, MAX_BATCH } from './application/get-sessions-by-ids.js';
export {
  CachingSpeakerDirectory,
  type CachingSpeakerDirectoryOptions,
  DEFAULT_SPEAKER_CACHE_TTL_MS,
  DEFAULT_SPEAKER_CACHE_MAX_ENTRIES,
} from './application/caching-speaker-directory.js';
export { SESSION_CREATED, SESSION_UPDATED, SESSION_DELETED, sessionChangedData } from './application/session-messages.js';

// Edge shapes: request codecs and response views
export { CreateSessionBody, UpdateSessionBody, AddSpeakerBody, ListSessionsQuery, SpeakerIds } from './application/requests.js';
export {
  type SessionView,
  type SessionDetailsView,
  type SessionPageView,
  type SpeakerSummaryView,
  toView,
  toDetailsView,
  toPageView,
  toSpeakerView,
} from './application/views.js';
