import { DomainError, ROLES, isUuid, type Actor, type Role } from '@conference/kernel';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Jwks } from './jwt-signer.js';

/** What a verified access token says: who is asking, and the login session it belongs to. */
export interface VerifiedToken {
  readonly actor: Actor;
  /** `sid`: the login session the token was issued for, when the issuer set one. */
  readonly sessionId: string | null;
  readonly email: string | null;
  readonly expiresAt: Date;
}

export interface JwtVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Seconds of clock skew tolerated between the issuer and this instance. Default 5. */
  readonly clockToleranceSeconds?: number;
  /** The time tokens are checked at; for tests. */
  readonly now?: () => Date;
  /**
   * A token that verified is trusted again without checking its signature for this long (never
   * past its `exp`). Default 60 s; 0 turns the cache off. It is also how long a token signed with
   * a key the issuer has since withdrawn may still be accepted.
   */
  readonly cacheTtlMs?: number;
  /** Most verified tokens remembered (the oldest is forgotten first). Default 2000. */
  readonly cacheSize?: number;
}

export const DEFAULT_TOKEN_CACHE_TTL_MS = 60_000;
export const DEFAULT_TOKEN_CACHE_SIZE = 2000;

export interface RemoteJwksOptions {
  /** Wait at most this long for the JWKS. Default 2000 ms: a request waits for it. */
  readonly timeoutMs?: number;
  /** After a fetch, refetch no sooner than this even for an unknown kid (keeps forged kids from hammering the issuer). Default 30 s. */
  readonly cooldownMs?: number;
  /** Keys are refetched after this long. Default 10 min. */
  readonly cacheMaxAgeMs?: number;
}

/** Marks a failure to obtain the keys, as opposed to a token they refuse: 503, not 401. */
class KeySetUnavailable extends Error {}

const TOKEN_CAUSED = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED']);

/**
 * Verifies access tokens locally from the issuer's public keys (DESIGN §2): signature with EdDSA
 * only, `iss`, `aud`, `exp` with a small tolerance, `sub` a UUID and `role` a known role.
 * Failures are DomainErrors: AUTH.TOKEN_EXPIRED / AUTH.TOKEN_INVALID (401) or, when the keys
 * cannot be fetched, AUTH.KEYS_UNAVAILABLE (503) — an outage of the user service must not look
 * like a bad token, nor like a bug.
 */
export class JwtVerifier {
  /**
   * Tokens that verified, by their exact text, with the time they may be trusted until. A client
   * sends the same access token with every request until it expires, and checking the EdDSA
   * signature (WebCrypto, a promise and a thread-pool job) cost three times the rest of the
   * request in the profile. Only successes are kept: a bad token is checked every time.
   */
  private readonly verified = new Map<string, { readonly token: VerifiedToken; readonly until: number }>();
  private readonly cacheTtlMs: number;
  private readonly cacheSize: number;

  private constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: JwtVerifierOptions,
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_TOKEN_CACHE_TTL_MS;
    this.cacheSize = options.cacheSize ?? DEFAULT_TOKEN_CACHE_SIZE;
  }

  /** Keys fetched from the issuer's JWKS URL, cached, refetched for an unknown kid after a cooldown. */
  static remote(url: string | URL, options: JwtVerifierOptions & RemoteJwksOptions): JwtVerifier {
    const remote = createRemoteJWKSet(new URL(url), {
      timeoutDuration: options.timeoutMs ?? 2000,
      cooldownDuration: options.cooldownMs ?? 30_000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    });
    const keys: JWTVerifyGetKey = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (error instanceof errors.JOSEError && TOKEN_CAUSED.has(error.code)) throw error;
        throw new KeySetUnavailable(error instanceof Error ? error.message : String(error), { cause: error });
      }
    };
    return new JwtVerifier(keys, options);
  }

  /** Keys given in hand: the embedded profile (the signer in the same process) and tests. */
  static local(jwks: Jwks, options: JwtVerifierOptions): JwtVerifier {
    return new JwtVerifier(createLocalJWKSet({ keys: [...jwks.keys] }), options);
  }

  async verify(token: string): Promise<VerifiedToken> {
    const now = this.options.now ? this.options.now().getTime() : Date.now();
    const cached = this.verified.get(token);
    if (cached) {
      if (now < cached.until) return cached.token;
      this.verified.delete(token);
    }
    const verified = await this.verifySignatureAndClaims(token);
    this.remember(token, verified, now);
    return verified;
  }

  private remember(token: string, verified: VerifiedToken, now: number): void {
    const until = Math.min(now + this.cacheTtlMs, verified.expiresAt.getTime());
    if (until <= now || this.cacheSize <= 0) return;
    if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { token: verified, until });
  }

  private async verifySignatureAndClaims(token: string): Promise<VerifiedToken> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['EdDSA'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
        requiredClaims: ['sub', 'exp', 'iat'],
        ...(this.options.now ? { currentDate: this.options.now() } : {}),
      }));
    } catch (error) {
      if (error instanceof KeySetUnavailable) {
        throw DomainError.unavailable('AUTH.KEYS_UNAVAILABLE', 'The keys that verify access tokens cannot be fetched right now; try again shortly');
      }
      if (error instanceof errors.JWTExpired) throw DomainError.unauthorized('AUTH.TOKEN_EXPIRED', 'The access token has expired; refresh it');
      if (error instanceof errors.JOSEError) throw invalid(describeRefusal(error));
      throw error;
    }
    const { sub, role, sid, email, exp } = payload as { sub?: unknown; role?: unknown; sid?: unknown; email?: unknown; exp?: number };
    if (typeof sub !== 'string' || !isUuid(sub)) throw invalid('its subject is not a user id');
    if (typeof role !== 'string' || !ROLES.includes(role as Role)) throw invalid('its role is not one of ' + ROLES.join(', '));
    // Frozen: the cache hands the same object to every request that sends this token.
    return Object.freeze({
      actor: Object.freeze({ userId: sub, role: role as Role }),
      sessionId: typeof sid === 'string' ? sid : null,
      email: typeof email === 'string' ? email : null,
      expiresAt: new Date((exp ?? 0) * 1000),
    });
  }
}

const invalid = (why: string) => DomainError.unauthorized('AUTH.TOKEN_INVALID', `The access token is not valid: ${why}`);

/** A short reason the client can act on, without echoing the token. */
function describeRefusal(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTClaimValidationFailed) return `its "${error.claim}" claim is not accepted here`;
  switch (error.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED': return 'its signature does not verify';
    case 'ERR_JWKS_NO_MATCHING_KEY': return 'it was signed with a key we do not know';
    case 'ERR_JOSE_ALG_NOT_ALLOWED': return 'it is signed with an algorithm we do not accept';
    default: return 'it is malformed';
  }
}
