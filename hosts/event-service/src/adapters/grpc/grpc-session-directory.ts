import { GrpcPeer, SESSION_SERVICE, fromTimestamp, jsonLogger, type GrpcPeerOptions, type Logger, type Timestamp } from '@conference/adapters-grpc';
import { EventErrors, type SessionDirectory, type SessionSummary } from '@conference/event';
import { err, ok, type DomainError, type Result } from '@conference/kernel';

/** conference.session.v1.SessionSummary as it arrives; checked field by field, not trusted. */
interface SessionSummaryMessage {
  readonly id?: unknown;
  readonly eventId?: unknown;
  readonly title?: unknown;
  readonly startsAt?: Partial<Timestamp> | null;
  readonly endsAt?: Partial<Timestamp> | null;
  readonly room?: unknown;
  readonly version?: unknown;
}

export type GrpcSessionDirectoryOptions = Omit<GrpcPeerOptions, 'service' | 'peer'> & { readonly peer?: string };

/**
 * The event context's SessionDirectory over SessionService.ValidateSession, with the peer's
 * deadline, retries and circuit breaker. What the session service answers maps onto the port:
 * NOT_FOUND and INVALID_ARGUMENT (no session has that id) → EVENT.SESSION_NOT_FOUND (422 at the
 * REST edge); anything that is no answer (down, out of time, circuit open, a broken reply) →
 * EVENT.SESSION_DIRECTORY_UNAVAILABLE (503). It never throws.
 */
export class GrpcSessionDirectory implements SessionDirectory {
  constructor(
    private readonly peer: GrpcPeer,
    private readonly logger: Logger = jsonLogger,
  ) {}

  static connect(options: GrpcSessionDirectoryOptions): GrpcSessionDirectory {
    return new GrpcSessionDirectory(new GrpcPeer({ peer: 'session-service', ...options, service: SESSION_SERVICE }), options.logger);
  }

  async validateSession(sessionId: string): Promise<Result<SessionSummary, DomainError>> {
    const answer = await this.peer.unary<{ sessionId: string }, { session?: SessionSummaryMessage | null }>('ValidateSession', { sessionId });
    if (!answer.ok) {
      const { kind } = answer.error.error;
      if (kind === 'not_found' || kind === 'validation') return err(EventErrors.sessionNotFound());
      // An open circuit was logged when it opened; logging each fast failure would flood the log.
      if (!answer.error.circuitOpen) this.logger.warn({ peer: 'session-service', failure: GrpcPeer.describe(answer.error) }, 'ValidateSession got no answer');
      return err(EventErrors.sessionDirectoryUnavailable());
    }
    const summary = toSummary(answer.value.session);
    if (!summary) {
      this.logger.error({ peer: 'session-service', sessionId }, 'ValidateSession answered a session that breaks conference.session.v1');
      return err(EventErrors.sessionDirectoryUnavailable());
    }
    return ok(summary);
  }

  close(): void {
    this.peer.close();
  }
}

function toSummary(message: SessionSummaryMessage | null | undefined): SessionSummary | null {
  if (!message) return null;
  const { id, eventId, title, room, version } = message;
  const startsAt = fromTimestamp(message.startsAt);
  const endsAt = fromTimestamp(message.endsAt);
  if (typeof id !== 'string' || typeof title !== 'string' || typeof room !== 'string') return null;
  if (eventId !== undefined && eventId !== null && typeof eventId !== 'string') return null;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1 || !startsAt || !endsAt) return null;
  return { sessionId: id, eventId: typeof eventId === 'string' ? eventId : null, title, startsAt, endsAt, room, version };
}
