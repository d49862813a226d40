import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql, type DatabasePool } from 'slonik';
import { MessageFactory, RandomIdGenerator, SystemClock, StaleVersionError, type Role, type UnitOfWork } from '@conference/kernel';
import { pendingOutbox } from '@conference/adapters-postgres';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import {
  ChangeRole,
  Login,
  RefreshLogin,
  RegisterUser,
  type LoginSession,
  type LoginSessionRepository,
  type User,
  type UserListQuery,
  type UserRepository,
  type UserScope,
} from '@conference/user';
import { FakeAccessTokenIssuer, FakePasswordHasher, InMemoryLoginThrottle, RandomRefreshTokens } from '@conference/user/testing';
import { userMigrationSets } from './migrations.js';
import { createPostgresUserUnitOfWork } from './unit-of-work.js';

/**
 * A meeting point for `parties` concurrent units of work: each waits until all have arrived, so
 * every transaction has done its reads before any of them writes. Without it the race might not
 * happen at all (one transaction committing before the next begins), and the test would prove nothing.
 * Later calls (a unit of work retried after a deadlock) pass straight through.
 */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const everyone = new Promise<void>((resolve) => { release = resolve; });
  const timeout = setTimeout(() => release(), 10_000);
  return async () => {
    arrived += 1;
    if (arrived >= parties) { clearTimeout(timeout); release(); }
    await everyone;
  };
}

/** The users repository with a wait before one of its methods. */
class GatedUsers implements UserRepository {
  constructor(private readonly inner: UserRepository, private readonly gate: { before: 'insert' | 'countByRole' | 'update'; wait: () => Promise<void> }) {}
  async insert(user: User) { if (this.gate.before === 'insert') await this.gate.wait(); return this.inner.insert(user); }
  findById(id: string) { return this.inner.findById(id); }
  findByEmail(email: string) { return this.inner.findByEmail(email); }
  async update(user: User, expectedVersion: number) { if (this.gate.before === 'update') await this.gate.wait(); return this.inner.update(user, expectedVersion); }
  list(query: UserListQuery) { return this.inner.list(query); }
  async countByRole(role: Role) { if (this.gate.before === 'countByRole') await this.gate.wait(); return this.inner.countByRole(role); }
}

/** The login-session repository with a wait before update. */
class GatedLoginSessions implements LoginSessionRepository {
  constructor(private readonly inner: LoginSessionRepository, private readonly wait: () => Promise<void>) {}
  insert(session: LoginSession) { return this.inner.insert(session); }
  findById(id: string) { return this.inner.findById(id); }
  findByRefreshTokenHash(hash: string) { return this.inner.findByRefreshTokenHash(hash); }
  async update(session: LoginSession, expectedVersion: number) { await this.wait(); return this.inner.update(session, expectedVersion); }
  listActiveByUser(userId: string, now: Date) { return this.inner.listActiveByUser(userId, now); }
}

const gatedUow = (pool: DatabasePool, gate: (scope: UserScope) => Partial<UserScope>): UnitOfWork<UserScope> => {
  const inner = createPostgresUserUnitOfWork(pool);
  return { run: (work) => inner.run((scope) => work({ ...scope, ...gate(scope) })) };
};

const clock = new SystemClock();
const ids = new RandomIdGenerator();
const messages = new MessageFactory('user-service', ids, clock);

/** The same address in ten different casings. */
const casings = (email: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => [...email].map((c, j) => ((i >> j % 8) & 1 ? c.toUpperCase() : c.toLowerCase())).join(''));

describe('@infra user service on PostgreSQL: concurrency across instances', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('user_concurrency', await userMigrationSets());
  });
  after(async () => { await db?.close(); });
  beforeEach(async () => { await db.truncate(); });

  const seed = async (role: Role, name: string): Promise<User> => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const user: User = {
      id: randomUUID(), email: `${name}.${randomUUID()}@example.org`, name, passwordHash: 'hash', role, createdAt: now, updatedAt: now, version: 1,
    };
    await createPostgresUserUnitOfWork(db.pool).run(({ users }) => users.insert(user));
    return user;
  };
  const countAdmins = () => createPostgresUserUnitOfWork(db.pool).run(({ users }) => users.countByRole('admin'));

  it('two admins demoting each other at once from two instances: one succeeds, one gets USER.LAST_ADMIN, one admin remains', async () => {
    // Several rounds: each round is a fresh pair of admins racing through the ChangeRole use case.
    for (let round = 0; round < 5; round++) {
      await db.truncate();
      const ada = await seed('admin', 'ada');
      const grace = await seed('admin', 'grace');
      const pools = [await db.newPool(2), await db.newPool(2)];
      // Both transactions read both admins before either counts: the write skew a plain count lets through.
      const wait = barrier(2);
      const [adaInstance, graceInstance] = pools.map((pool) => new ChangeRole(gatedUow(pool, (scope) => ({ users: new GatedUsers(scope.users, { before: 'countByRole', wait }) })), clock));
      const results = await Promise.all([
        adaInstance!.execute({ actor: { userId: ada.id, role: 'admin' }, userId: grace.id, role: 'attendee' }),
        graceInstance!.execute({ actor: { userId: grace.id, role: 'admin' }, userId: ada.id, role: 'attendee' }),
      ]);
      const succeeded = results.filter((result) => result.ok);
      const refused = results.flatMap((result) => (result.ok ? [] : [result.error]));
      expect(succeeded, `round ${round}`).to.have.length(1);
      expect(refused.map((error) => error.code), `round ${round}`).to.deep.equal(['USER.LAST_ADMIN']);
      expect(await countAdmins(), `round ${round}`).to.equal(1);
    }
  });

  it('ten registrations with one email in ten casings from ten instances: one account, nine USER.EMAIL_TAKEN', async () => {
    const emails = casings('race.condition@example.org', 10);
    expect(new Set(emails).size).to.equal(10);
    const pools: DatabasePool[] = [];
    for (const _ of emails) pools.push(await db.newPool(1));
    // Every registration has looked the address up (and found nobody) before any inserts: the unique
    // index on email_key, not the read, has to decide.
    const wait = barrier(emails.length);
    const hasher = new FakePasswordHasher();
    const results = await Promise.all(
      emails.map((email, i) =>
        new RegisterUser(gatedUow(pools[i]!, (scope) => ({ users: new GatedUsers(scope.users, { before: 'insert', wait }) })), hasher, ids, clock, messages)
          .execute({ email, password: 'correct horse battery', name: `Racer ${i}` }),
      ),
    );
    const winners = results.flatMap((result) => (result.ok ? [result.value] : []));
    const refused = results.flatMap((result) => (result.ok ? [] : [result.error]));
    expect(winners).to.have.length(1);
    expect(refused).to.have.length(9);
    for (const error of refused) expect(error).to.include({ code: 'USER.EMAIL_TAKEN', kind: 'conflict' });
    expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM users`)).to.equal(1);
    const stored = await createPostgresUserUnitOfWork(db.pool).run(({ users }) => users.findByEmail('RACE.CONDITION@example.org'));
    expect(stored?.id).to.equal(winners[0]!.id);
    // Only the winner's announcement committed; the nine losers' outbox rows rolled back with them.
    expect((await pendingOutbox(db.pool)).map((message) => message.envelope.type)).to.deep.equal(['user.registered']);
  });

  it('two refreshes racing with one token from two instances: one wins, the other gets LOGIN_SESSION.STALE_VERSION', async () => {
    const hasher = new FakePasswordHasher();
    const accessTokens = new FakeAccessTokenIssuer();
    const refreshTokens = new RandomRefreshTokens();
    const register = new RegisterUser(createPostgresUserUnitOfWork(db.pool), hasher, ids, clock, messages);
    const account = await register.execute({ email: 'refresher@example.org', password: 'correct horse battery', name: 'Refresher' });
    expect(account.ok).to.equal(true);
    const login = await new Login(createPostgresUserUnitOfWork(db.pool), hasher, accessTokens, refreshTokens, ids, clock, new InMemoryLoginThrottle()).execute({ email: 'refresher@example.org', password: 'correct horse battery' });
    if (!login.ok) throw login.error;
    const token = login.value.refreshToken;

    // Both find the token current before either rotates it.
    const wait = barrier(2);
    const instances = [await db.newPool(2), await db.newPool(2)].map(
      (pool) => new RefreshLogin(gatedUow(pool, (scope) => ({ loginSessions: new GatedLoginSessions(scope.loginSessions, wait) })), accessTokens, refreshTokens, clock),
    );
    const results = await Promise.all(instances.map((refresh) => refresh.execute({ refreshToken: token })));
    const winners = results.flatMap((result) => (result.ok ? [result.value] : []));
    const refused = results.flatMap((result) => (result.ok ? [] : [result.error]));
    expect(winners).to.have.length(1);
    expect(refused.map((error) => error.code)).to.deep.equal(['LOGIN_SESSION.STALE_VERSION']);

    // The winner's token is the session's current one; the presented one is remembered as rotated out.
    const uow = createPostgresUserUnitOfWork(db.pool);
    const current = await uow.run(({ loginSessions }) => loginSessions.findByRefreshTokenHash(refreshTokens.hash(winners[0]!.refreshToken)));
    expect(current?.current).to.equal(true);
    expect(current?.session).to.include({ version: 2, revokedAt: null });
    const old = await uow.run(({ loginSessions }) => loginSessions.findByRefreshTokenHash(refreshTokens.hash(token)));
    expect(old?.current).to.equal(false);
  });

  it('two instances updating one user with the same expected version: exactly one wins', async () => {
    const user = await seed('attendee', 'contested');
    const wait = barrier(2);
    const pools = [await db.newPool(2), await db.newPool(2)];
    const outcomes = await Promise.allSettled(
      ['First', 'Second'].map((name, i) =>
        gatedUow(pools[i]!, (scope) => ({ users: new GatedUsers(scope.users, { before: 'update', wait }) })).run(async ({ users }) => {
          const found = await users.findById(user.id);
          await users.update({ ...found!, name, version: 2 }, 1);
          return name;
        }),
      ),
    );
    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(won).to.have.length(1);
    expect(lost).to.have.length(1);
    expect(lost[0]).to.be.instanceOf(StaleVersionError);
    const stored = await createPostgresUserUnitOfWork(db.pool).run(({ users }) => users.findById(user.id));
    expect(stored).to.include({ name: won[0], version: 2 });
  });
});
