export interface GeneratedRefreshToken {
  /** Given to the client once; never stored. */
  readonly token: string;
  /** What is stored and looked up: `hash(token)`. */
  readonly hash: string;
}

/**
 * Port: opaque refresh tokens. `generate` gives an unguessable, URL-safe token (≥ 128 bits of
 * randomness) with its hash; `hash` is deterministic (the same token always gives the same hash,
 * different tokens different hashes) and never returns the token itself. A fast hash (SHA-256)
 * is right here: the token is random, so there is nothing to brute-force.
 */
export interface RefreshTokens {
  generate(): GeneratedRefreshToken;
  hash(token: string): string;
}
