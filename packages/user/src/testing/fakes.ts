import { createHash, randomBytes } from 'node:crypto';
import { ROLES, type Role } from '@conference/kernel';
import type { AccessTokenClaims, AccessTokenIssuer, IssuedAccessToken } from '../ports/access-token-issuer.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { GeneratedRefreshToken, RefreshTokens } from '../ports/refresh-tokens.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A password hasher for tests: salted SHA-256, instant and deterministic (the salt is a counter),
 * with argon2's observable behaviour: two hashes of one password differ, verify is exact,
 * a foreign hash verifies as false. Never for production: SHA-256 is far too fast for passwords.
 */
export class FakePasswordHasher implements PasswordHasher {
  private salts = 0;
  /** How often each method ran, for tests that care that a hash was checked (e.g. for timing). */
  readonly calls = { hash: 0, verify: 0 };

  async hash(plain: string): Promise<string> {
    this.calls.hash += 1;
    this.salts += 1;
    const salt = `salt${this.salts.toString(16).padStart(8, '0')}`;
    return `fake-sha256$${salt}$${sha256(`${salt}:${plain}`)}`;
  }

  async verify(hash: string, plain: string): Promise<boolean> {
    this.calls.verify += 1;
    const [scheme, salt, digest, ...rest] = hash.split('$');
    if (scheme !== 'fake-sha256' || !salt || !digest || rest.length > 0) return false;
    return sha256(`${salt}:${plain}`) === digest;
  }
}

interface FakeAccessPayload extends AccessTokenClaims {
  readonly n: number;
  readonly ttl: number;
}

/**
 * Access tokens for tests: `fake-access.<base64url JSON claims>.<signature>`, readable in a test
 * failure and checkable with `read`, which refuses any token altered after issue.
 */
export class FakeAccessTokenIssuer implements AccessTokenIssuer {
  private counter = 0;
  readonly issued: { token: string; claims: AccessTokenClaims; ttlSeconds: number }[] = [];

  constructor(private readonly secret = 'fake-access-secret') {}

  async issue(claims: AccessTokenClaims, ttlSeconds: number): Promise<IssuedAccessToken> {
    this.counter += 1;
    const payload: FakeAccessPayload = { userId: claims.userId, email: claims.email, role: claims.role, sessionId: claims.sessionId, n: this.counter, ttl: ttlSeconds };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    const token = `fake-access.${body}.${this.sign(body)}`;
    this.issued.push({ token, claims: { ...claims }, ttlSeconds });
    return { token, expiresIn: ttlSeconds };
  }

  /** The claims of a token this issuer made and nobody changed since, else null. */
  read(token: string): AccessTokenClaims | null {
    const [prefix, body, signature, ...rest] = token.split('.');
    if (prefix !== 'fake-access' || !body || !signature || rest.length > 0 || this.sign(body) !== signature) return null;
    try {
      const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<FakeAccessPayload>;
      const { userId, email, role, sessionId } = parsed;
      if (typeof userId !== 'string' || typeof email !== 'string' || typeof sessionId !== 'string') return null;
      if (!(ROLES as readonly unknown[]).includes(role)) return null;
      return { userId, email, role: role as Role, sessionId };
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return sha256(`${this.secret}.${body}`).slice(0, 32);
  }
}

/**
 * Refresh tokens from 32 random bytes (base64url) with their SHA-256 hex hash. Pure node:crypto,
 * nothing test-only about it; hosts may bind it as the real adapter.
 */
export class RandomRefreshTokens implements RefreshTokens {
  generate(): GeneratedRefreshToken {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.hash(token) };
  }

  hash(token: string): string {
    return sha256(token);
  }
}
