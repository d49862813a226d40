import type { Role } from '@conference/kernel';
import type { LoginSession } from '../domain/login-session.js';
import type { User } from '../domain/user.js';

/** A user as the API shows it (DESIGN §3). The password hash never leaves the service. */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    version: user.version,
  };
}

/** One of the caller's login sessions, as `GET /api/auth/sessions` lists it. No token hashes. */
export interface LoginSessionView {
  readonly id: string;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  readonly expiresAt: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  /** The session of the access token making the request ("this device"). */
  readonly current: boolean;
}

export function toLoginSessionView(session: LoginSession, currentSessionId?: string | null): LoginSessionView {
  return {
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    userAgent: session.userAgent,
    ip: session.ip,
    current: currentSessionId != null && session.id === currentSessionId,
  };
}

/** What login and refresh answer (DESIGN §3). */
export interface AuthTokensView {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly user: UserView;
}

/**
 * An enrollment request as the user service answers it (202 Accepted): always pending, because
 * the event service decides the outcome and reports it by message and email.
 */
export interface EnrollmentRequestView {
  readonly eventId: string;
  readonly userId: string;
  readonly status: 'pending';
}
