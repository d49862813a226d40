import { ok, type Actor, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import type { SessionScope } from '../ports/session-scope.js';
import { loadForChange, staleAsConflict } from './access.js';
import { sessionDeleted } from './session-messages.js';

export interface DeleteSessionInput {
  readonly actor: Actor;
  readonly sessionId: string;
  /** Optional (If-Match): when given, a different stored version is a conflict. */
  readonly expectedVersion?: number;
}

/**
 * DELETE /api/sessions/:id (owner or admin): removes the session and publishes session.deleted
 * (whose `version` is the deleted version + 1), in one unit of work; every programme drops it.
 *
 * Errors: SESSION.NOT_FOUND, SESSION.FORBIDDEN, SESSION.STALE_VERSION.
 */
export class DeleteSession {
  constructor(
    private readonly uow: UnitOfWork<SessionScope>,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: DeleteSessionInput): Promise<Result<{ sessionId: string }, DomainError>> {
    return staleAsConflict(() =>
      this.uow.run(async (scope) => {
        const found = await loadForChange(scope.sessions, input.actor, input.sessionId, input.expectedVersion);
        if (!found.ok) return found;
        const session = found.value;
        await scope.sessions.delete(session.id, session.version);
        await scope.outbox.add(sessionDeleted(this.messages, session));
        return ok({ sessionId: session.id });
      }),
    );
  }
}
