import { ok, type Actor, type Clock, type DomainError, type Page, type Result, type UnitOfWork } from '@conference/kernel';
import type { UserScope } from '../ports/user-scope.js';
import { toLoginSessionView, type LoginSessionView } from './views.js';

export interface ListLoginSessionsInput {
  readonly actor: Actor;
  /** The session of the access token making the request (its `sessionId` claim), marked `current`. */
  readonly currentSessionId?: string | null;
}

/**
 * `GET /api/auth/sessions`: the caller's own active login sessions, most recently used first.
 * A person has a handful, so the list is one page (`nextCursor` is always null) in the list shape.
 */
export class ListLoginSessions {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly clock: Clock,
  ) {}

  async execute(input: ListLoginSessionsInput): Promise<Result<Page<LoginSessionView>, DomainError>> {
    const sessions = await this.uow.run(({ loginSessions }) => loginSessions.listActiveByUser(input.actor.userId, this.clock.now()));
    return ok({ items: sessions.map((session) => toLoginSessionView(session, input.currentSessionId)), nextCursor: null });
  }
}
