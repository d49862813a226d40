import { ConfigurationError, JwtSigner, JwtVerifier, generateSigningKey } from '@conference/http-kit';
import type { UserServiceConfig } from './config.js';

export interface AccessTokenKeys {
  readonly signer: JwtSigner;
  /** This service's own verifier: local, over the signer's JWKS (no HTTP call to itself). */
  readonly verifier: JwtVerifier;
}

/** What signing needs to report; the host's logger fits. */
export interface SigningLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * The signer of access tokens from JWT_PRIVATE_KEY (and JWT_PREVIOUS_KEYS during a rotation).
 * Without a key, in the memory profile only, a key is generated: fine for one process, but its
 * tokens die with the process and no other instance or service can verify them, so it warns.
 * A key that cannot be read is a ConfigurationError naming the variable.
 */
export async function createAccessTokenKeys(config: UserServiceConfig, log: SigningLog): Promise<AccessTokenKeys> {
  let privateKey: string | object | undefined = config.JWT_PRIVATE_KEY;
  if (!privateKey) {
    if (config.PROFILE !== 'memory') throw new ConfigurationError([{ variable: 'JWT_PRIVATE_KEY', message: `is required when PROFILE=${config.PROFILE}` }]);
    privateKey = await generateSigningKey();
    log.warn(
      { kid: (privateKey as { kid?: string }).kid },
      'JWT_PRIVATE_KEY is not set: generated a signing key for this process. Tokens will not survive a restart and cannot be shared between instances; set JWT_PRIVATE_KEY (the same on every instance) for anything but a single test process',
    );
  }
  let signer: JwtSigner;
  try {
    signer = await JwtSigner.create({ privateKey: privateKey as string, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  } catch (error) {
    throw new ConfigurationError([{ variable: 'JWT_PRIVATE_KEY', message: (error as Error).message }]);
  }
  if (config.JWT_PREVIOUS_KEYS.length > 0) {
    try {
      signer = await JwtSigner.create({
        privateKey: privateKey as string,
        previousKeys: config.JWT_PREVIOUS_KEYS as (string | Record<string, string>)[],
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
      });
    } catch (error) {
      throw new ConfigurationError([{ variable: 'JWT_PREVIOUS_KEYS', message: (error as Error).message }]);
    }
  }
  const verifier = JwtVerifier.local(signer.jwks(), { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  return { signer, verifier };
}
