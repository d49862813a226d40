import { SignJWT, type JWK, type JWTPayload } from 'jose';
import { loadPublishedKey, loadSigningKey, type PublishedKey, type SigningKey } from './signing-key.js';

export interface JwtSignerOptions {
  /** The private Ed25519 key: a JWK (JSON text or object) or a PKCS#8 PEM. */
  readonly privateKey: string | JWK;
  /**
   * Keys that signed tokens still in circulation (rotation): published in the JWKS for as long as
   * tokens they signed may be alive, never used to sign.
   */
  readonly previousKeys?: readonly (string | JWK)[];
  /** `iss` of every token (the user service). */
  readonly issuer: string;
  /** `aud` of every token (the platform's API). */
  readonly audience: string;
  /** The time tokens are issued at; tests use it to mint expired tokens. */
  readonly now?: () => Date;
}

export interface SignedToken {
  readonly token: string;
  /** Seconds until the token stops being accepted. */
  readonly expiresIn: number;
  readonly expiresAt: Date;
}

/** A JSON Web Key Set as served at GET /api/auth/jwks.json. */
export interface Jwks { readonly keys: readonly JWK[] }

/** Signs access tokens (EdDSA / Ed25519) and publishes the public keys that verify them. */
export class JwtSigner {
  private constructor(
    private readonly key: SigningKey,
    private readonly previous: readonly PublishedKey[],
    private readonly options: JwtSignerOptions,
  ) {}

  static async create(options: JwtSignerOptions): Promise<JwtSigner> {
    const key = await loadSigningKey(options.privateKey);
    const previous = await Promise.all((options.previousKeys ?? []).map(loadPublishedKey));
    return new JwtSigner(key, previous.filter((p) => p.kid !== key.kid), options);
  }

  get kid(): string {
    return this.key.kid;
  }

  /** Signs `claims` (at least `sub`) with `iss`, `aud`, `iat`, `exp` and the current key's `kid`. */
  async sign(claims: JWTPayload & { sub: string }, ttlSeconds: number): Promise<SignedToken> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new Error(`A token lifetime must be a positive whole number of seconds, not ${ttlSeconds}`);
    const now = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
    const { sub, ...rest } = claims;
    const token = await new SignJWT(rest)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: this.key.kid })
      .setSubject(sub)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(this.key.privateKey);
    return { token, expiresIn: ttlSeconds, expiresAt: new Date((now + ttlSeconds) * 1000) };
  }

  /** The public keys: the current one first, then those still valid for tokens signed before a rotation. */
  jwks(): Jwks {
    return { keys: [this.key.publicJwk, ...this.previous.map((p) => p.publicJwk)] };
  }
}
