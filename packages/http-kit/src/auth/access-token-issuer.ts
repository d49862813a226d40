import type { Role } from '@conference/kernel';
import type { JwtSigner } from './jwt-signer.js';

/**
 * Adapter of the user context's AccessTokenIssuer port to the JwtSigner (structurally typed here,
 * since http-kit must not depend on a bounded context). The claims it writes are the ones
 * JwtVerifier reads: `sub` user id, `role`, `email`, `sid` login session.
 */
export class JwtAccessTokenIssuer {
  constructor(private readonly signer: JwtSigner) {}

  async issue(
    claims: { readonly userId: string; readonly email: string; readonly role: Role; readonly sessionId: string },
    ttlSeconds: number,
  ): Promise<{ token: string; expiresIn: number }> {
    const { token, expiresIn } = await this.signer.sign({ sub: claims.userId, role: claims.role, email: claims.email, sid: claims.sessionId }, ttlSeconds);
    return { token, expiresIn };
  }
}
