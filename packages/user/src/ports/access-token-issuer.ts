import type { Role } from '@conference/kernel';

/** What an access token says about its bearer; every service reads these to build an Actor. */
export interface AccessTokenClaims {
  readonly userId: string;
  readonly email: string;
  readonly role: Role;
  /** The login session the token was issued for, so "this device" can be shown in the session list. */
  readonly sessionId: string;
}

export interface IssuedAccessToken {
  readonly token: string;
  /** Seconds until the token stops being accepted. */
  readonly expiresIn: number;
}

/**
 * Port: issues short-lived access tokens (a JWT signed by the user service in the hosts; other
 * services verify it from the public JWKS). The token carries the claims and expires `ttlSeconds`
 * after it is issued; `expiresIn` reports that lifetime. Tokens cannot be altered without being
 * rejected by the verifier.
 */
export interface AccessTokenIssuer {
  issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken>;
}
