import { DomainError, StaleVersionError } from '@conference/kernel';

/**
 * The stable codes of the user context. Hosts map them to HTTP/gRPC through the error kind;
 * clients may rely on the codes, never on the messages.
 */
export const UserErrorCode = {
  invalidEmail: 'USER.INVALID_EMAIL',
  invalidName: 'USER.INVALID_NAME',
  passwordTooShort: 'USER.PASSWORD_TOO_SHORT',
  passwordTooLong: 'USER.PASSWORD_TOO_LONG',
  invalidRole: 'USER.INVALID_ROLE',
  invalidEventId: 'USER.INVALID_EVENT_ID',
  emailTaken: 'USER.EMAIL_TAKEN',
  notFound: 'USER.NOT_FOUND',
  lastAdmin: 'USER.LAST_ADMIN',
  staleVersion: 'USER.STALE_VERSION',
  invalidCredentials: 'AUTH.INVALID_CREDENTIALS',
  invalidRefreshToken: 'AUTH.INVALID_REFRESH_TOKEN',
  refreshTokenReused: 'AUTH.REFRESH_TOKEN_REUSED',
  loginSessionExpired: 'AUTH.LOGIN_SESSION_EXPIRED',
  loginSessionRevoked: 'AUTH.LOGIN_SESSION_REVOKED',
  loginSessionNotFound: 'AUTH.LOGIN_SESSION_NOT_FOUND',
  notYourSession: 'AUTH.NOT_YOUR_SESSION',
  unknownActor: 'AUTH.UNKNOWN_ACTOR',
  adminRequired: 'AUTH.ADMIN_REQUIRED',
  selfOrAdminRequired: 'AUTH.SELF_OR_ADMIN_REQUIRED',
  duplicateLoginSession: 'LOGIN_SESSION.DUPLICATE',
  loginSessionStaleVersion: 'LOGIN_SESSION.STALE_VERSION',
  tooManyLoginAttempts: 'AUTH.TOO_MANY_ATTEMPTS',
} as const;

export type UserErrorCode = (typeof UserErrorCode)[keyof typeof UserErrorCode];

/**
 * Logins refused for a while after too many failures (the account's or the address's). Kind
 * `forbidden`, since the kernel has no "slow down" kind; HTTP hosts answer it 429 with Retry-After
 * from `retryAfterSeconds`. Worded the same whether or not the account exists.
 */
export class TooManyLoginAttemptsError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(UserErrorCode.tooManyLoginAttempts, 'forbidden', `too many failed logins; try again in ${retryAfterSeconds} seconds`);
    this.name = 'TooManyLoginAttemptsError';
  }
}

/** Factories for the expected failures, so every use case words the same failure the same way. */
export const UserErrors = {
  invalidEmail: () =>
    DomainError.validation(UserErrorCode.invalidEmail, 'email must be an email address', [{ path: 'email', message: 'must be an email address' }]),
  invalidName: (message: string) => DomainError.validation(UserErrorCode.invalidName, `name ${message}`, [{ path: 'name', message }]),
  passwordTooShort: (min: number) =>
    DomainError.validation(UserErrorCode.passwordTooShort, `password must be at least ${min} characters`, [
      { path: 'password', message: `must be at least ${min} characters` },
    ]),
  passwordTooLong: (max: number) =>
    DomainError.validation(UserErrorCode.passwordTooLong, `password must be at most ${max} characters`, [
      { path: 'password', message: `must be at most ${max} characters` },
    ]),
  invalidRole: (role: string) =>
    DomainError.validation(UserErrorCode.invalidRole, `${role} is not a role`, [{ path: 'role', message: 'must be attendee, organizer or admin' }]),
  invalidEventId: () =>
    DomainError.validation(UserErrorCode.invalidEventId, 'eventId must be a UUID', [{ path: 'eventId', message: 'must be a UUID' }]),
  emailTaken: () => DomainError.conflict(UserErrorCode.emailTaken, 'an account with this email already exists'),
  notFound: (id: string) => DomainError.notFound(UserErrorCode.notFound, `user ${id} does not exist`),
  lastAdmin: () => DomainError.conflict(UserErrorCode.lastAdmin, 'the platform must keep at least one admin; promote another admin first'),
  staleUser: (id: string) => new StaleVersionError('user', id),
  invalidCredentials: () => DomainError.unauthorized(UserErrorCode.invalidCredentials, 'email or password is wrong'),
  invalidRefreshToken: () => DomainError.unauthorized(UserErrorCode.invalidRefreshToken, 'the refresh token is not valid; log in again'),
  refreshTokenReused: () =>
    DomainError.unauthorized(UserErrorCode.refreshTokenReused, 'this refresh token was already used; the login session has been revoked, log in again'),
  loginSessionExpired: () => DomainError.unauthorized(UserErrorCode.loginSessionExpired, 'the login session has expired; log in again'),
  loginSessionRevoked: () => DomainError.unauthorized(UserErrorCode.loginSessionRevoked, 'the login session was ended; log in again'),
  loginSessionNotFound: (id: string) => DomainError.notFound(UserErrorCode.loginSessionNotFound, `login session ${id} does not exist`),
  notYourSession: () => DomainError.forbidden(UserErrorCode.notYourSession, 'this login session belongs to someone else'),
  unknownActor: () => DomainError.unauthorized(UserErrorCode.unknownActor, 'the account behind this token no longer exists'),
  adminRequired: () => DomainError.forbidden(UserErrorCode.adminRequired, 'only an admin may do this'),
  selfOrAdminRequired: () => DomainError.forbidden(UserErrorCode.selfOrAdminRequired, 'only the user themselves or an admin may see this account'),
  duplicateLoginSession: () =>
    DomainError.conflict(UserErrorCode.duplicateLoginSession, 'a login session with this id or refresh token already exists'),
  staleLoginSession: (id: string) => new StaleVersionError('login_session', id),
  tooManyLoginAttempts: (retryAfterSeconds: number) => new TooManyLoginAttemptsError(retryAfterSeconds),
};
