import { ok, type Clock, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { revokeLoginSession } from '../domain/login-session.js';
import type { RefreshTokens } from '../ports/refresh-tokens.js';
import type { UserScope } from '../ports/user-scope.js';
import { runAtomically } from './support.js';

export interface LogoutInput {
  readonly refreshToken: string;
}

/**
 * `POST /api/auth/logout`: revokes the login session the refresh token belongs to. Idempotent:
 * an unknown token or an already revoked session is still a success (the client is logged out
 * either way). A rotated-out token revokes its session too — whoever holds it, ending the session
 * is the safe answer. The access tokens already issued live on until they expire (minutes).
 */
export class Logout {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly refreshTokens: RefreshTokens,
    private readonly clock: Clock,
  ) {}

  async execute(input: LogoutInput): Promise<Result<void, DomainError>> {
    const presented = this.refreshTokens.hash(input.refreshToken);
    return runAtomically(this.uow, async ({ loginSessions }) => {
      const match = await loginSessions.findByRefreshTokenHash(presented);
      if (!match) return ok(undefined);
      const revoked = revokeLoginSession(match.session, this.clock.now());
      if (revoked !== match.session) await loginSessions.update(revoked, match.session.version);
      return ok(undefined);
    });
  }
}
