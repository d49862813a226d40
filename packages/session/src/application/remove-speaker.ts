import { ok, type Actor, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { removeSpeakerFrom, type Session } from '../domain/session.js';
import type { SessionScope } from '../ports/session-scope.js';
import { loadForChange, staleAsConflict } from './access.js';
import { sessionUpdated } from './session-messages.js';

export interface RemoveSpeakerInput {
  readonly actor: Actor;
  readonly sessionId: string;
  readonly speakerId: string;
  /** Optional: when given, a different stored version is a conflict. */
  readonly expectedVersion?: number;
}

/**
 * DELETE /api/sessions/:id/speakers/:speakerId (owner or admin). Removing frees a slot, so no
 * lock, overlap check or speaker lookup is needed.
 * Errors: SESSION.NOT_FOUND, SESSION.FORBIDDEN, SESSION.STALE_VERSION, SESSION.SPEAKER_NOT_IN_SESSION (404).
 */
export class RemoveSpeaker {
  constructor(
    private readonly uow: UnitOfWork<SessionScope>,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: RemoveSpeakerInput): Promise<Result<Session, DomainError>> {
    const now = this.clock.now();
    return staleAsConflict(() =>
      this.uow.run(async (scope) => {
        const found = await loadForChange(scope.sessions, input.actor, input.sessionId, input.expectedVersion);
        if (!found.ok) return found;
        const next = removeSpeakerFrom(found.value, input.speakerId, now);
        if (!next.ok) return next;
        await scope.sessions.update(next.value, found.value.version);
        await scope.outbox.add(sessionUpdated(this.messages, next.value));
        return ok(next.value);
      }),
    );
  }
}
