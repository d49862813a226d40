// Domain
export { UserErrorCode, UserErrors, TooManyLoginAttemptsError } from './domain/errors.js';
export {
  type User,
  type NewUser,
  type ProfileChange,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  emailKey,
  checkEmail,
  checkName,
  checkNewPassword,
  normalizePassword,
  isRole,
  createUser,
  changeProfile,
  changesEmailKey,
  changeRole,
} from './domain/user.js';
export {
  type LoginSession,
  type LoginSessionState,
  type NewLoginSession,
  type Rotation,
  MAX_ROTATED_TOKEN_HASHES,
  USER_AGENT_MAX_LENGTH,
  IP_MAX_LENGTH,
  openLoginSession,
  loginSessionState,
  rotateRefreshToken,
  revokeLoginSession,
} from './domain/login-session.js';

// Ports
export type { UserRepository, UserListQuery, UserListKey } from './ports/user-repository.js';
export type { LoginSessionRepository, RefreshTokenMatch } from './ports/login-session-repository.js';
export type { PasswordHasher } from './ports/password-hasher.js';
export type { AccessTokenIssuer, AccessTokenClaims, IssuedAccessToken } from './ports/access-token-issuer.js';
export type { RefreshTokens, GeneratedRefreshToken } from './ports/refresh-tokens.js';
export type { UserScope } from './ports/user-scope.js';
export type { LoginThrottle, ThrottleLimit, ThrottleDecision } from './ports/login-throttle.js';

// Application
export { type AuthOptions, DEFAULT_AUTH_OPTIONS, authOptions } from './application/auth-options.js';
export {
  type UserView,
  type LoginSessionView,
  type AuthTokensView,
  type EnrollmentRequestView,
  toUserView,
  toLoginSessionView,
} from './application/views.js';
export {
  RegisterBody,
  LoginBody,
  RefreshBody,
  LogoutBody,
  UpdateMeBody,
  ChangeRoleBody,
  EnrollmentRequestBody,
  ListUsersQuery,
  RoleCodec,
  passwordString,
  intFromString,
} from './application/codecs.js';
export { RegisterUser, type RegisterUserInput } from './application/register-user.js';
export { Login, type LoginInput } from './application/login.js';
export { RefreshLogin, type RefreshLoginInput } from './application/refresh-login.js';
export { Logout, type LogoutInput } from './application/logout.js';
export { ListLoginSessions, type ListLoginSessionsInput } from './application/list-login-sessions.js';
export { RevokeLoginSession, type RevokeLoginSessionInput } from './application/revoke-login-session.js';
export { GetMe, type GetMeInput } from './application/get-me.js';
export { UpdateMe, type UpdateMeInput } from './application/update-me.js';
export { ListUsers, type ListUsersInput } from './application/list-users.js';
export { GetUser, type GetUserInput } from './application/get-user.js';
export { ChangeRole, type ChangeRoleInput } from './application/change-role.js';
export { EnsureAdmin, type EnsureAdminInput, type EnsureAdminOutput } from './application/ensure-admin.js';
export { RequestEnrollment } from './application/request-enrollment.js';
export { type EnrollmentInput } from './application/enrollment-request.js';
export { CancelEnrollment } from './application/cancel-enrollment.js';
