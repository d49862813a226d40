import { MessageFactory, unwrap, type Actor, type Role, type UnitOfWork } from '@conference/kernel';
import { FixedClock, SequentialIdGenerator } from '@conference/kernel/testing';
import { ChangeRole } from '../application/change-role.js';
import { CancelEnrollment } from '../application/cancel-enrollment.js';
import { EnsureAdmin } from '../application/ensure-admin.js';
import { GetMe } from '../application/get-me.js';
import { GetUser } from '../application/get-user.js';
import { ListLoginSessions } from '../application/list-login-sessions.js';
import { ListUsers } from '../application/list-users.js';
import { Login } from '../application/login.js';
import { Logout } from '../application/logout.js';
import { RefreshLogin } from '../application/refresh-login.js';
import { RegisterUser } from '../application/register-user.js';
import { RequestEnrollment } from '../application/request-enrollment.js';
import { RevokeLoginSession } from '../application/revoke-login-session.js';
import { UpdateMe } from '../application/update-me.js';
import type { AuthOptions } from '../application/auth-options.js';
import type { User } from '../domain/user.js';
import type { UserScope } from '../ports/user-scope.js';
import { FakeAccessTokenIssuer, FakePasswordHasher, RandomRefreshTokens } from './fakes.js';
import { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
import { InMemoryUserStore } from './in-memory-user-store.js';

export const PASSWORD = 'correct horse battery';

/**
 * Every use case wired to the in-memory store and the fakes, for this package's unit tests.
 * `uow` may be replaced (e.g. by a decorator that fails) before building the use cases.
 */
export function userTestKit(options: { auth?: Partial<AuthOptions>; uow?: (store: InMemoryUserStore) => UnitOfWork<UserScope> } = {}) {
  const store = new InMemoryUserStore();
  const uow = options.uow?.(store) ?? store.uow;
  const clock = new FixedClock('2026-03-02T09:00:00.000Z');
  const ids = new SequentialIdGenerator('00000000-0000-4000-8000-');
  const hasher = new FakePasswordHasher();
  const accessTokens = new FakeAccessTokenIssuer();
  const refreshTokens = new RandomRefreshTokens();
  const messages = new MessageFactory('user-service', new SequentialIdGenerator('00000000-0000-4000-9000-'), clock);
  const auth = options.auth ?? {};
  const throttle = new InMemoryLoginThrottle();

  const kit = {
    store,
    clock,
    ids,
    hasher,
    accessTokens,
    refreshTokens,
    throttle,
    register: new RegisterUser(uow, hasher, ids, clock, messages),
    login: new Login(uow, hasher, accessTokens, refreshTokens, ids, clock, throttle, auth),
    refresh: new RefreshLogin(uow, accessTokens, refreshTokens, clock, auth),
    logout: new Logout(uow, refreshTokens, clock),
    listSessions: new ListLoginSessions(uow, clock),
    revokeSession: new RevokeLoginSession(uow, clock),
    getMe: new GetMe(uow),
    updateMe: new UpdateMe(uow, clock),
    listUsers: new ListUsers(uow),
    getUser: new GetUser(uow),
    changeRole: new ChangeRole(uow, clock),
    ensureAdmin: new EnsureAdmin(uow, hasher, ids, clock, messages),
    requestEnrollment: new RequestEnrollment(uow, clock, messages),
    cancelEnrollment: new CancelEnrollment(uow, clock, messages),

    /** Registers an account and gives it a role directly in storage (the way a fixture would). */
    async seedUser(email: string, role: Role = 'attendee', name = email.split('@')[0] ?? 'someone'): Promise<User> {
      const view = unwrap(await kit.register.execute({ email, password: PASSWORD, name }));
      const user = await store.uow.run(({ users }) => users.findById(view.id));
      if (!user) throw new Error('seeded user vanished');
      if (role === user.role) return user;
      const changed = { ...user, role, version: user.version + 1 };
      await store.uow.run(({ users }) => users.update(changed, user.version));
      return changed;
    },

    actor(user: Pick<User, 'id' | 'role'>): Actor {
      return { userId: user.id, role: user.role };
    },

    /** Messages committed to the outbox, by type. */
    published(type?: string) {
      return store.pending().filter((message) => type === undefined || message.envelope.type === type);
    },
  };
  return kit;
}

export type UserTestKit = ReturnType<typeof userTestKit>;
