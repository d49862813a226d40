import { err, isUuid, ok, type DomainError, type Result } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { SessionSummary } from '../domain/programme.js';
import type { SessionDirectory } from '../ports/session-directory.js';

/** The session service as a map, for tests and the embedded profile; `reachable = false` plays a peer that is down. */
export class InMemorySessionDirectory implements SessionDirectory {
  private readonly sessions = new Map<string, SessionSummary>();
  reachable = true;

  constructor(sessions: Iterable<SessionSummary> = []) {
    for (const session of sessions) this.put(session);
  }

  /** Adds or replaces a session. */
  put(session: SessionSummary): void {
    this.sessions.set(session.sessionId.toLowerCase(), structuredClone(session));
  }

  remove(sessionId: string): void {
    this.sessions.delete(sessionId.toLowerCase());
  }

  async validateSession(sessionId: string): Promise<Result<SessionSummary, DomainError>> {
    if (!this.reachable) return err(EventErrors.sessionDirectoryUnavailable());
    const session = isUuid(sessionId) ? this.sessions.get(sessionId.toLowerCase()) : undefined;
    return session ? ok(structuredClone(session)) : err(EventErrors.sessionNotFound());
  }
}
