import { err, isUuid, ok, type DomainError, type Result } from '@conference/kernel';
import type { UserEnrolledData } from '@conference/messages';
import type { EnrollmentRequest } from '../domain/enrollment.js';
import { EnrollmentErrors } from '../domain/errors.js';
import { normalizeId } from './access.js';

/** The parts of a user.enrolled / user.unenrolled payload the handlers rely on, checked. */
export interface EnrollmentMessageParts {
  readonly userId: string;
  /** null when the payload names no possible event (not a UUID): such an event is unknown. */
  readonly eventId: string | null;
  readonly requestedAt: Date;
}

/**
 * Checks what the message codec cannot (a string that is a date, a UUID). A failure means the
 * message can never succeed: the handler returns it before recording the message id, so the host
 * dead-letters the message and a fixed replay is still processed.
 */
export function readEnrollmentMessage(data: { userId: string; eventId: string; requestedAt: string }): Result<EnrollmentMessageParts, DomainError> {
  const requestedAt = new Date(data.requestedAt);
  if (Number.isNaN(requestedAt.getTime())) return err(EnrollmentErrors.malformedMessage('requestedAt is not a date'));
  if (!isUuid(data.userId)) return err(EnrollmentErrors.malformedMessage('userId is not a UUID'));
  return ok({ userId: data.userId.toLowerCase(), eventId: normalizeId(data.eventId), requestedAt });
}

/**
 * A user.enrolled read into the request it makes: `eventId` as readEnrollmentMessage gives it (null
 * when it cannot name an event), `request.eventId` the normalised id or, failing that, the id as sent
 * (what an enrollment.rejected for an unknown event names).
 */
export function readEnrollmentRequest(
  data: UserEnrolledData,
): Result<{ readonly eventId: string | null; readonly request: EnrollmentRequest }, DomainError> {
  const parts = readEnrollmentMessage(data);
  if (!parts.ok) return parts;
  const { eventId, userId, requestedAt } = parts.value;
  return ok({ eventId, request: { eventId: eventId ?? data.eventId, userId, email: data.email, name: data.name, requestedAt } });
}
