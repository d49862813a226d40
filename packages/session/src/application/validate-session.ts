import { err, isUuid, ok, type DomainError, type Result } from '@conference/kernel';
import { invalidSessionId, sessionNotFound } from '../domain/errors.js';
import type { Session } from '../domain/session.js';
import type { SessionQueries } from '../ports/session-queries.js';

/** What the event service needs to put a session in its programme (gRPC ValidateSession). */
export interface SessionSummary {
  readonly id: string;
  readonly eventId: string | null;
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly room: string;
  readonly speakerIds: string[];
  readonly version: number;
}

export const toSummary = (session: Session): SessionSummary => ({
  id: session.id,
  eventId: session.eventId,
  title: session.title,
  startsAt: session.startsAt,
  endsAt: session.endsAt,
  room: session.room,
  speakerIds: [...session.speakerIds],
  version: session.version,
});

/**
 * gRPC ValidateSession: does this session exist, and what is it now.
 * Errors: SESSION.INVALID_ID (validation → INVALID_ARGUMENT) for a malformed id,
 * SESSION.NOT_FOUND (→ NOT_FOUND) for an unknown one.
 */
export class ValidateSession {
  constructor(private readonly sessions: SessionQueries) {}

  async execute(input: { readonly sessionId: string }): Promise<Result<SessionSummary, DomainError>> {
    if (!isUuid(input.sessionId)) return err(invalidSessionId(input.sessionId));
    const session = await this.sessions.findById(input.sessionId.toLowerCase());
    return session ? ok(toSummary(session)) : err(sessionNotFound(input.sessionId));
  }
}
