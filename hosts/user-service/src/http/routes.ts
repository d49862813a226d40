import type { Container } from 'inversify';
import type { RestApi } from '@conference/http-kit';
import {
  CancelEnrollment,
  ChangeRole,
  GetMe,
  GetUser,
  ListLoginSessions,
  ListUsers,
  Login,
  Logout,
  RefreshLogin,
  RegisterUser,
  RequestEnrollment,
  RevokeLoginSession,
  UpdateMe,
} from '@conference/user';
import { AccessTokenSigner, UserServiceConfig } from '../tokens.js';
import { registerAuthRoutes, type AuthRouteDeps } from './auth-routes.js';
import { describeUserCodecs } from './schemas.js';
import { registerUsersRoutes, type UsersRouteDeps } from './users-routes.js';

export type UserRouteDeps = AuthRouteDeps & UsersRouteDeps;

/** Every route of the user service (DESIGN §3: /api/auth and /api/users) on `api`. */
export function registerUserServiceRoutes(api: RestApi, deps: UserRouteDeps): void {
  describeUserCodecs();
  registerAuthRoutes(api, deps);
  registerUsersRoutes(api, deps);
}

/** The routes' dependencies, resolved from the container once, at start-up (no look-ups per request). */
export function routeDepsFrom(container: Container): UserRouteDeps {
  const config = container.get<UserServiceConfig>(UserServiceConfig);
  return {
    register: container.get(RegisterUser),
    login: container.get(Login),
    refresh: container.get(RefreshLogin),
    logout: container.get(Logout),
    listSessions: container.get(ListLoginSessions),
    revokeSession: container.get(RevokeLoginSession),
    signer: container.get<AccessTokenSigner>(AccessTokenSigner),
    jwksMaxAgeSeconds: config.JWKS_MAX_AGE,
    getMe: container.get(GetMe),
    updateMe: container.get(UpdateMe),
    listUsers: container.get(ListUsers),
    getUser: container.get(GetUser),
    changeRole: container.get(ChangeRole),
    requestEnrollment: container.get(RequestEnrollment),
    cancelEnrollment: container.get(CancelEnrollment),
  };
}
