import { DomainError, type FieldIssue } from '@conference/kernel';

/**
 * The expected failures of the event context, each with a stable code that clients, logs and the
 * HTTP/gRPC edge rely on. The message is for people and may change.
 */
export const EventErrors = {
  notFound: (): DomainError => DomainError.notFound('EVENT.NOT_FOUND', 'No such event'),
  /** Thrown by EventRepository.insert for a taken id (a bug in id generation, never a user's doing). */
  alreadyExists: (id: string): DomainError => DomainError.conflict('EVENT.ALREADY_EXISTS', `An event with id ${id} already exists`),
  invalid: (issues: readonly FieldIssue[]): DomainError => DomainError.validation('EVENT.INVALID', 'The event is not valid', issues),
  organizerRoleRequired: (): DomainError =>
    DomainError.forbidden('EVENT.ORGANIZER_ROLE_REQUIRED', 'Only organizers and admins create events'),
  notOwner: (): DomainError => DomainError.forbidden('EVENT.FORBIDDEN', 'Only the organizer of this event or an admin may do this'),
  authenticationRequired: (): DomainError => DomainError.unauthorized('EVENT.AUTHENTICATION_REQUIRED', 'Sign in to do this'),
  stale: (): DomainError =>
    DomainError.conflict('EVENT.STALE_VERSION', 'The event was changed by someone else; reload it and try again'),
  readOnly: (): DomainError => DomainError.conflict('EVENT.CANCELLED', 'A cancelled event can no longer be changed'),
  capacityBelowSeatsTaken: (seatsTaken: number): DomainError =>
    DomainError.conflict('EVENT.CAPACITY_BELOW_SEATS_TAKEN', `Capacity cannot be lower than the ${seatsTaken} seats already taken`),
  invalidTransition: (message: string): DomainError => DomainError.conflict('EVENT.INVALID_TRANSITION', message),
  notDraft: (): DomainError => DomainError.conflict('EVENT.NOT_DRAFT', 'Only a draft can be deleted; cancel a published event instead'),
  alreadyStarted: (): DomainError =>
    DomainError.unprocessable('EVENT.ALREADY_STARTED', 'The event has already started', [{ path: 'startsAt', message: 'is in the past' }]),
  sessionNotFound: (): DomainError => DomainError.unprocessable('EVENT.SESSION_NOT_FOUND', 'No such session', [{ path: 'sessionId', message: 'no session has this id' }]),
  sessionOfAnotherEvent: (): DomainError =>
    DomainError.conflict('EVENT.SESSION_OF_ANOTHER_EVENT', 'This session belongs to another event'),
  sessionOwnedByEvent: (): DomainError =>
    DomainError.conflict(
      'EVENT.SESSION_OWNED_BY_EVENT',
      'This session was created for this event; delete it or move it to another event in the session service instead',
    ),
  sessionDirectoryUnavailable: (): DomainError =>
    DomainError.unavailable('EVENT.SESSION_DIRECTORY_UNAVAILABLE', 'Sessions cannot be checked right now; try again shortly'),
} as const;

export const EnrollmentErrors = {
  notFound: (): DomainError => DomainError.notFound('ENROLLMENT.NOT_FOUND', 'You have no enrollment in this event'),
  malformedMessage: (detail: string): DomainError => DomainError.validation('ENROLLMENT.MALFORMED_MESSAGE', detail),
} as const;

/**
 * Why an enrollment request was rejected. Published as `reason` in enrollment.rejected and shown in
 * enrollment views; stable codes, so the notifier can phrase them.
 */
export const RejectionReasons = {
  eventNotFound: 'ENROLLMENT.EVENT_NOT_FOUND',
  eventNotPublished: 'ENROLLMENT.EVENT_NOT_PUBLISHED',
  eventCancelled: 'ENROLLMENT.EVENT_CANCELLED',
  eventStarted: 'ENROLLMENT.EVENT_STARTED',
} as const;
export type RejectionReason = (typeof RejectionReasons)[keyof typeof RejectionReasons];
