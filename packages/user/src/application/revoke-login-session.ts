import { err, isUuid, ok, type Actor, type Clock, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import { revokeLoginSession } from '../domain/login-session.js';
import type { UserScope } from '../ports/user-scope.js';
import { runAtomically } from './support.js';

export interface RevokeLoginSessionInput {
  readonly actor: Actor;
  readonly sessionId: string;
}

/**
 * `DELETE /api/auth/sessions/:id`: ends one of the caller's own login sessions (e.g. a lost
 * phone). Revoking a revoked or expired one succeeds and changes nothing.
 * Errors: AUTH.LOGIN_SESSION_NOT_FOUND (not_found), AUTH.NOT_YOUR_SESSION (forbidden, also for admins:
 * sessions are personal).
 */
export class RevokeLoginSession {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly clock: Clock,
  ) {}

  async execute(input: RevokeLoginSessionInput): Promise<Result<void, DomainError>> {
    // Ids are UUIDs everywhere; anything else names no session (and must not reach a uuid column).
    if (!isUuid(input.sessionId)) return err(UserErrors.loginSessionNotFound(input.sessionId));
    return runAtomically(this.uow, async ({ loginSessions }) => {
      const session = await loginSessions.findById(input.sessionId);
      if (!session) return err(UserErrors.loginSessionNotFound(input.sessionId));
      if (session.userId !== input.actor.userId) return err(UserErrors.notYourSession());
      const revoked = revokeLoginSession(session, this.clock.now());
      if (revoked !== session) await loginSessions.update(revoked, session.version);
      return ok(undefined);
    });
  }
}
