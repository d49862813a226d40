import type { DomainError, Result } from '@conference/kernel';
import type { SessionSummary } from '../domain/programme.js';

/**
 * Port: the session service asked at once (gRPC ValidateSession), so an organizer linking a session
 * gets an answer now rather than after a message round trip.
 *
 * - a known session → ok(summary), dates to the millisecond;
 * - an unknown id, including one that is not a UUID → err, kind `unprocessable`, code `EVENT.SESSION_NOT_FOUND`;
 * - the session service cannot answer (down, deadline exceeded, circuit open) → err, kind
 *   `unavailable`, code `EVENT.SESSION_DIRECTORY_UNAVAILABLE`, within the adapter's deadline.
 * It never throws for any of these.
 */
export interface SessionDirectory {
  validateSession(sessionId: string): Promise<Result<SessionSummary, DomainError>>;
}
