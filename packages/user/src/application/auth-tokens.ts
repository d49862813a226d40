import type { LoginSession } from '../domain/login-session.js';
import type { User } from '../domain/user.js';
import type { AccessTokenIssuer } from '../ports/access-token-issuer.js';
import type { AuthOptions } from './auth-options.js';
import { toUserView, type AuthTokensView } from './views.js';

/** The answer of login and refresh: an access token for the user as stored now, and the new refresh token. */
export async function authTokens(
  issuer: AccessTokenIssuer,
  options: AuthOptions,
  user: User,
  session: LoginSession,
  refreshToken: string,
): Promise<AuthTokensView> {
  const access = await issuer.issue({ userId: user.id, email: user.email, role: user.role, sessionId: session.id }, options.accessTokenTtlSeconds);
  return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn, user: toUserView(user) };
}
