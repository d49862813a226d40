import { err, ok, type Clock, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import { loginSessionState, revokeLoginSession, rotateRefreshToken } from '../domain/login-session.js';
import type { AccessTokenIssuer } from '../ports/access-token-issuer.js';
import type { RefreshTokens } from '../ports/refresh-tokens.js';
import type { UserScope } from '../ports/user-scope.js';
import { authOptions, type AuthOptions } from './auth-options.js';
import { authTokens } from './auth-tokens.js';
import { runAtomically } from './support.js';
import type { AuthTokensView } from './views.js';

export interface RefreshLoginInput {
  readonly refreshToken: string;
  readonly userAgent?: string | null;
  readonly ip?: string | null;
}

/**
 * `POST /api/auth/refresh`: trades the login session's current refresh token for a new one and a
 * fresh access token (with the role as stored now). Presenting a token that was already rotated
 * out means two parties hold the session's tokens, so the whole session is revoked (and stays
 * revoked: the revocation commits although the answer is an error).
 * Errors (all unauthorized): AUTH.INVALID_REFRESH_TOKEN (unknown token), AUTH.REFRESH_TOKEN_REUSED,
 * AUTH.LOGIN_SESSION_REVOKED, AUTH.LOGIN_SESSION_EXPIRED; LOGIN_SESSION.STALE_VERSION (conflict)
 * when another refresh of the same token won a race.
 */
export class RefreshLogin {
  private readonly options: AuthOptions;

  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokens,
    private readonly clock: Clock,
    options: Partial<AuthOptions> = {},
  ) {
    this.options = authOptions(options);
  }

  async execute(input: RefreshLoginInput): Promise<Result<AuthTokensView, DomainError>> {
    const presented = this.refreshTokens.hash(input.refreshToken);
    const next = this.refreshTokens.generate();

    return runAtomically(this.uow, async ({ users, loginSessions }) => {
      const now = this.clock.now();
      const match = await loginSessions.findByRefreshTokenHash(presented);
      if (!match) return err(UserErrors.invalidRefreshToken());
      const { session } = match;

      if (!match.current) {
        const revoked = revokeLoginSession(session, now);
        if (revoked !== session) await loginSessions.update(revoked, session.version);
        return err(UserErrors.refreshTokenReused());
      }
      const state = loginSessionState(session, now);
      if (state === 'revoked') return err(UserErrors.loginSessionRevoked());
      if (state === 'expired') return err(UserErrors.loginSessionExpired());

      const user = await users.findById(session.userId);
      if (!user) return err(UserErrors.invalidRefreshToken());

      const rotated = rotateRefreshToken(session, {
        newRefreshTokenHash: next.hash,
        now,
        ttlMs: this.options.loginSessionTtlSeconds * 1000,
        userAgent: input.userAgent,
        ip: input.ip,
      });
      await loginSessions.update(rotated, session.version);
      return ok(await authTokens(this.accessTokens, this.options, user, rotated, next.token));
    });
  }
}
