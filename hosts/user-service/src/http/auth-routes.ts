import { HttpProblem, PROBLEM_CONTENT_TYPE, etagOf, sendResult, type HttpContext, type JwtSigner, type RestApi } from '@conference/http-kit';
import type { DomainError, Result } from '@conference/kernel';
import {
  LoginBody,
  LogoutBody,
  RefreshBody,
  RegisterBody,
  TooManyLoginAttemptsError,
  UserErrorCode,
  type ListLoginSessions,
  type Login,
  type Logout,
  type RefreshLogin,
  type RegisterUser,
  type RevokeLoginSession,
} from '@conference/user';
import { AuthTokensViewCodec, IdParams, JwksCodec, LoginSessionPageCodec, UserViewCodec } from './views.js';

export interface AuthRouteDeps {
  readonly register: RegisterUser;
  readonly login: Login;
  readonly refresh: RefreshLogin;
  readonly logout: Logout;
  readonly listSessions: ListLoginSessions;
  readonly revokeSession: RevokeLoginSession;
  readonly signer: JwtSigner;
  /** Cache-Control max-age of the JWKS, in seconds. */
  readonly jwksMaxAgeSeconds: number;
}

const TAGS = ['auth'];
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** The client as the session list shows it: its User-Agent, cut to what a label needs by the domain. */
const userAgentOf = (ctx: HttpContext): string | null => ctx.get('User-Agent') || null;
/** Koa's ctx.ip: the socket's address, or with TRUST_PROXY the address the gateway appended to X-Forwarded-For. */
const ipOf = (ctx: HttpContext): string | null => ctx.ip || null;

/**
 * AUTH.TOO_MANY_ATTEMPTS is a `forbidden` DomainError (the kernel has no "slow down" kind), but
 * HTTP has the exact status: 429 with Retry-After (RFC 6585 §4), so clients wait instead of retrying.
 */
function answerThrottled<T>(result: Result<T, DomainError>): Result<T, DomainError> {
  if (!result.ok && result.error.code === UserErrorCode.tooManyLoginAttempts) {
    const seconds = result.error instanceof TooManyLoginAttemptsError ? result.error.retryAfterSeconds : 60;
    throw new HttpProblem(429, result.error.code, result.error.message, { headers: { 'Retry-After': String(seconds) } });
  }
  return result;
}

/** Tokens must not be stored by caches on the way (RFC 6749 §5.1). */
const noStore = (ctx: HttpContext) => ctx.set('Cache-Control', 'no-store');

/** /api/auth: accounts, login sessions and the public keys that verify access tokens. */
export function registerAuthRoutes(api: RestApi, deps: AuthRouteDeps): void {
  api.route({
    method: 'post', path: '/api/auth/register', operationId: 'register', tags: TAGS, auth: 'none',
    summary: 'Create an attendee account',
    description: 'Email unique case-insensitively; password at least 10 characters. Publishes user.registered.',
    body: RegisterBody,
    responses: {
      201: {
        description: 'The new account',
        schema: UserViewCodec,
        headers: { Location: { description: 'The account: /api/users/{id}' }, ETag: { description: 'The account\'s version' } },
      },
    },
    problems: [409],
  }, async (ctx, { body }) => {
    const result = await deps.register.execute(body);
    sendResult(ctx, result, { status: 201, etag: (user) => etagOf(user.version), location: (user) => `/api/users/${user.id}` });
  });

  api.route({
    method: 'post', path: '/api/auth/login', operationId: 'login', tags: TAGS, auth: 'none',
    summary: 'Log in: an access token, a refresh token and the user',
    description: 'Opens a login session. After 5 failed logins for one email, or 20 from one address, within 15 minutes (configurable), logins are refused with 429 until the window ends.',
    body: LoginBody,
    responses: {
      200: { description: 'Logged in', schema: AuthTokensViewCodec },
      429: {
        description: 'Too many failed logins for this email or from this address',
        contentType: PROBLEM_CONTENT_TYPE,
        schema: PROBLEM_REF,
        headers: { 'Retry-After': { description: 'Seconds until logins are accepted again', schema: { type: 'integer', minimum: 1 } } },
      },
    },
    problems: [401],
  }, async (ctx, { body }) => {
    const result = answerThrottled(await deps.login.execute({ email: body.email, password: body.password, userAgent: userAgentOf(ctx), ip: ipOf(ctx) }));
    noStore(ctx);
    sendResult(ctx, result);
  });

  api.route({
    method: 'post', path: '/api/auth/refresh', operationId: 'refresh', tags: TAGS, auth: 'none',
    summary: 'Trade the refresh token for new tokens',
    description: 'Rotates the refresh token. Presenting one already rotated out revokes the whole login session (theft detection).',
    body: RefreshBody,
    responses: { 200: { description: 'New tokens', schema: AuthTokensViewCodec } },
    problems: [401, 409],
  }, async (ctx, { body }) => {
    const result = await deps.refresh.execute({ refreshToken: body.refreshToken, userAgent: userAgentOf(ctx), ip: ipOf(ctx) });
    noStore(ctx);
    sendResult(ctx, result);
  });

  api.route({
    method: 'post', path: '/api/auth/logout', operationId: 'logout', tags: TAGS, auth: 'none',
    summary: 'End the login session of a refresh token',
    description: 'Idempotent: an unknown or already revoked token is a success too. Needs no access token (it may have expired).',
    body: LogoutBody,
    responses: { 204: { description: 'Logged out' } },
  }, async (ctx, { body }) => {
    sendResult(ctx, await deps.logout.execute({ refreshToken: body.refreshToken }), { status: 204 });
  });

  api.route({
    method: 'get', path: '/api/auth/sessions', operationId: 'listLoginSessions', tags: TAGS, auth: 'required',
    summary: 'My active login sessions',
    description: 'Most recently used first; `current` marks the session of the token making the request. One page.',
    responses: { 200: { description: 'The caller\'s sessions', schema: LoginSessionPageCodec } },
  }, async (ctx, { actor }) => {
    sendResult(ctx, await deps.listSessions.execute({ actor, currentSessionId: ctx.state.token?.sessionId ?? null }));
  });

  api.route({
    method: 'delete', path: '/api/auth/sessions/:id', operationId: 'revokeLoginSession', tags: TAGS, auth: 'required',
    summary: 'End one of my login sessions',
    description: 'Only the owner may end a session (admins too get 403: sessions are personal). Ending an ended session succeeds.',
    params: IdParams,
    responses: { 204: { description: 'Ended' } },
  }, async (ctx, { actor, params }) => {
    sendResult(ctx, await deps.revokeSession.execute({ actor, sessionId: params.id }), { status: 204 });
  });

  api.route({
    method: 'get', path: '/api/auth/jwks.json', operationId: 'jwks', tags: TAGS, auth: 'none',
    summary: 'The public keys that verify access tokens (JWKS)',
    description: 'The signing key first, then keys rotated out whose tokens may still be alive. Cached by verifiers; refetched for an unknown key id.',
    responses: { 200: { description: 'JSON Web Key Set', schema: JwksCodec, contentType: 'application/json' } },
  }, (ctx) => {
    ctx.set('Cache-Control', `public, max-age=${deps.jwksMaxAgeSeconds}`);
    ctx.body = deps.signer.jwks();
  });
}
