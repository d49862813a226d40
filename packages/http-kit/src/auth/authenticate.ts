import { DomainError, type Actor } from '@conference/kernel';
import type { JwtVerifier, VerifiedToken } from './jwt-verifier.js';

export interface AuthState {
  /** Who is asking; null on a route where authentication is optional and no token was sent. */
  actor: Actor | null;
  token: VerifiedToken | null;
}

/** `Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Reads `Authorization: Bearer <jwt>` into ctx.state.actor / ctx.state.token, for RestApi's routes.
 * `required`: no token → 401 AUTH.TOKEN_MISSING. Not required: no token → actor null; but a token
 * that is sent is always checked — a client sending a bad token should hear about it, not be
 * served silently as anonymous.
 *
 * Undefined when the request sent no token (nothing to wait for, so no promise per anonymous
 * request), else the verification. Throws (or rejects with) the 401 DomainError.
 */
export function authenticateRequest(ctx: { get(field: string): string; readonly state: Partial<AuthState> }, verifier: JwtVerifier, required: boolean): Promise<void> | undefined {
  const header = ctx.get('Authorization');
  if (!header) {
    if (required) throw DomainError.unauthorized('AUTH.TOKEN_MISSING', 'This request needs an access token (Authorization: Bearer <token>)');
    ctx.state.actor = null;
    ctx.state.token = null;
    return undefined;
  }
  const match = BEARER.exec(header);
  if (!match) throw DomainError.unauthorized('AUTH.TOKEN_INVALID', 'The Authorization header must be "Bearer <token>"');
  return verifier.verify(match[1]!).then((token) => {
    ctx.state.actor = token.actor;
    ctx.state.token = token;
  });
}
