/**
 * A login session (DESIGN's user_sessions): what a refresh token keeps alive. Only hashes of
 * refresh tokens are kept; the hashes of tokens already rotated out are remembered so that one
 * presented again is recognised as stolen (theft detection) rather than merely unknown.
 */
export interface LoginSession {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  /** Refreshing moves this on (inactivity expiry): an active user stays logged in. */
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly userAgent: string | null;
  readonly ip: string | null;
  /** Hash of the one refresh token that may be presented next. */
  readonly refreshTokenHash: string;
  /** Hashes of tokens rotated out, newest last, at most MAX_ROTATED_TOKEN_HASHES. */
  readonly rotatedTokenHashes: readonly string[];
  readonly version: number;
}

export type LoginSessionState = 'active' | 'revoked' | 'expired';

/**
 * How many rotated-out hashes are remembered. A token older than that is refused as unknown
 * instead of as reused: still refused, only without revoking the session.
 */
export const MAX_ROTATED_TOKEN_HASHES = 100;
export const USER_AGENT_MAX_LENGTH = 512;
export const IP_MAX_LENGTH = 64;

/** Client-supplied descriptions are only labels for the session list: cut, never refused. */
const label = (value: string | null | undefined, max: number): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : null;
};

export interface NewLoginSession {
  readonly id: string;
  readonly userId: string;
  readonly refreshTokenHash: string;
  readonly now: Date;
  readonly ttlMs: number;
  readonly userAgent?: string | null;
  readonly ip?: string | null;
}

export function openLoginSession(input: NewLoginSession): LoginSession {
  return {
    id: input.id,
    userId: input.userId,
    createdAt: input.now,
    lastUsedAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.ttlMs),
    revokedAt: null,
    userAgent: label(input.userAgent, USER_AGENT_MAX_LENGTH),
    ip: label(input.ip, IP_MAX_LENGTH),
    refreshTokenHash: input.refreshTokenHash,
    rotatedTokenHashes: [],
    version: 1,
  };
}

export function loginSessionState(session: LoginSession, now: Date): LoginSessionState {
  if (session.revokedAt !== null) return 'revoked';
  if (session.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export interface Rotation {
  readonly newRefreshTokenHash: string;
  readonly now: Date;
  readonly ttlMs: number;
  readonly userAgent?: string | null;
  readonly ip?: string | null;
}

/** Replaces the current refresh token; the old hash joins the rotated-out ones. */
export function rotateRefreshToken(session: LoginSession, rotation: Rotation): LoginSession {
  const rotated = [...session.rotatedTokenHashes, session.refreshTokenHash].slice(-MAX_ROTATED_TOKEN_HASHES);
  return {
    ...session,
    refreshTokenHash: rotation.newRefreshTokenHash,
    rotatedTokenHashes: rotated,
    lastUsedAt: rotation.now,
    expiresAt: new Date(rotation.now.getTime() + rotation.ttlMs),
    userAgent: label(rotation.userAgent, USER_AGENT_MAX_LENGTH) ?? session.userAgent,
    ip: label(rotation.ip, IP_MAX_LENGTH) ?? session.ip,
    version: session.version + 1,
  };
}

/** Ends the session. Revoking a revoked session returns it unchanged (the first revocation time stays). */
export function revokeLoginSession(session: LoginSession, now: Date): LoginSession {
  if (session.revokedAt !== null) return session;
  return { ...session, revokedAt: now, version: session.version + 1 };
}
