import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { JwtSigner, createLogger, generateSigningKey, type Env, type HttpApp } from '@conference/http-kit';
import { requestTo } from '@conference/http-kit/testing';
import { EnsureAdmin, type AuthTokensView, type UserView } from '@conference/user';
import { InMemoryUserStore } from '@conference/user/testing';
import type { Container } from 'inversify';
import { createApp } from '../app.js';
import { loadUserServiceConfig, type UserServiceConfig } from '../config.js';
import { createContainer } from '../container.js';

export const PASSWORD = 'correct horse battery';

/**
 * The user service in PROFILE=memory, in process, for route tests: a known signing key (so tests
 * can mint expired tokens with it), argon2 at its cheapest allowed cost, logs captured.
 */
export async function userServiceUnderTest(env: Env = {}) {
  const privateKey = JSON.stringify(await generateSigningKey());
  const config: UserServiceConfig = loadUserServiceConfig({
    PROFILE: 'memory',
    JWT_PRIVATE_KEY: privateKey,
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ...env,
  });
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('user-service', { level: 'info' }, sink);
  const container: Container = await createContainer(config, { log: logger });
  const http: HttpApp = createApp(container, config, { logger, defaultMetrics: false });
  const store = container.get(InMemoryUserStore);
  const request = () => requestTo(http.app);
  let counter = 0;

  const kit = {
    config,
    container,
    http,
    store,
    logs: lines,
    request,

    /** Registers an attendee through the API. */
    async register(email = `user${++counter}-${randomUUID().slice(0, 8)}@example.org`, name = 'Some One'): Promise<UserView> {
      const res = await request().post('/api/auth/register').send({ email, password: PASSWORD, name });
      if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as UserView;
    },

    /** Logs in through the API. */
    async login(email: string, password = PASSWORD): Promise<AuthTokensView> {
      const res = await request().post('/api/auth/login').send({ email, password });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as AuthTokensView;
    },

    /** A registered, logged-in attendee: the account, its tokens and the Authorization header. */
    async attendee(name = 'Attendee') {
      const user = await kit.register(undefined, name);
      const tokens = await kit.login(user.email);
      return { user, tokens, auth: `Bearer ${tokens.accessToken}` };
    },

    /** A logged-in admin, made the way production makes the first one (EnsureAdmin). */
    async admin() {
      const email = `admin${++counter}@example.org`;
      const result = await container.get(EnsureAdmin).execute({ email, password: PASSWORD, name: 'Admin' });
      if (!result.ok) throw result.error;
      const tokens = await kit.login(email);
      return { user: tokens.user, tokens, auth: `Bearer ${tokens.accessToken}` };
    },

    /** A token for `userId` signed with the service's own key, expired two minutes ago. */
    async expiredToken(userId: string): Promise<string> {
      const past = await JwtSigner.create({ privateKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, now: () => new Date(Date.now() - 20 * 60_000) });
      return (await past.sign({ sub: userId, role: 'attendee', sid: randomUUID() }, 60)).token;
    },

    /** Everything the service has stored, to compare before and after requests that must write nothing. */
    snapshot() {
      const { users, loginSessions, outbox } = store.state;
      return JSON.stringify({ users: [...users.entries()], sessions: [...loginSessions.entries()], outbox });
    },
  };
  return kit;
}

export type UserServiceUnderTest = Awaited<ReturnType<typeof userServiceUnderTest>>;

/** The payload of a JWT with one character of its signature changed (signature no longer verifies). */
export function tampered(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}
