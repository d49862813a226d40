import { randomUUID } from 'node:crypto';
import type { Actor, Role } from '@conference/kernel';
import { generateSigningKey } from '../auth/signing-key.js';
import { JwtSigner } from '../auth/jwt-signer.js';
import { JwtVerifier } from '../auth/jwt-verifier.js';

export const TEST_ISSUER = 'urn:conference:test-issuer';
export const TEST_AUDIENCE = 'urn:conference:test-api';

export interface TestTokens {
  readonly signer: JwtSigner;
  readonly verifier: JwtVerifier;
  /** A valid access token for `actor` (a fresh attendee when omitted). */
  tokenFor(actor?: Partial<Actor>, options?: { readonly ttlSeconds?: number; readonly sessionId?: string }): Promise<string>;
  /** `Bearer <token>` for the Authorization header. */
  bearer(actor?: Partial<Actor>): Promise<string>;
  /** A token that expired `secondsAgo` seconds ago (beyond the verifier's tolerance). */
  expiredToken(actor?: Partial<Actor>, secondsAgo?: number): Promise<string>;
}

/** A signer and a verifier sharing a freshly generated key, for route tests. */
export async function createTestTokens(options: { readonly issuer?: string; readonly audience?: string } = {}): Promise<TestTokens> {
  const issuer = options.issuer ?? TEST_ISSUER;
  const audience = options.audience ?? TEST_AUDIENCE;
  const privateKey = await generateSigningKey();
  const signer = await JwtSigner.create({ privateKey, issuer, audience });
  const verifier = JwtVerifier.local(signer.jwks(), { issuer, audience });
  const claimsOf = (actor: Partial<Actor> = {}, sessionId?: string) => ({
    sub: actor.userId ?? randomUUID(),
    role: actor.role ?? ('attendee' satisfies Role),
    sid: sessionId ?? randomUUID(),
  });
  const tokenFor = async (actor?: Partial<Actor>, tokenOptions: { ttlSeconds?: number; sessionId?: string } = {}) =>
    (await signer.sign(claimsOf(actor, tokenOptions.sessionId), tokenOptions.ttlSeconds ?? 300)).token;
  return {
    signer,
    verifier,
    tokenFor,
    bearer: async (actor) => `Bearer ${await tokenFor(actor)}`,
    expiredToken: async (actor, secondsAgo = 120) => {
      const past = await JwtSigner.create({ privateKey, issuer, audience, now: () => new Date(Date.now() - (secondsAgo + 60) * 1000) });
      return (await past.sign(claimsOf(actor), 60)).token;
    },
  };
}
