import { expect } from 'chai';
import sinon from 'sinon';
import { decodeMessage } from '@conference/messages';
import { DomainError, type UnitOfWork } from '@conference/kernel';
import type { UserScope } from '../ports/user-scope.js';
import { PASSWORD, userTestKit } from '../testing/user-test-kit.js';

describe('RegisterUser', () => {
  it('creates an attendee, answers the user view and publishes one user.registered', async () => {
    const kit = userTestKit();
    const result = await kit.register.execute({ email: 'Ada@Example.org', password: PASSWORD, name: 'Ada Lovelace' });
    expect(result).to.deep.equal({
      ok: true,
      value: {
        id: '00000000-0000-4000-8000-000000000001',
        email: 'Ada@Example.org',
        name: 'Ada Lovelace',
        role: 'attendee',
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
        version: 1,
      },
    });
    const published = kit.published();
    expect(published).to.have.length(1);
    const decoded = decodeMessage(published[0]!.envelope);
    expect(decoded.ok && decoded.value.type).to.equal('user.registered');
    expect(decoded.ok && decoded.value.data).to.deep.equal({ userId: '00000000-0000-4000-8000-000000000001', email: 'Ada@Example.org', name: 'Ada Lovelace' });
    expect(published[0]!.aggregateId).to.equal('00000000-0000-4000-8000-000000000001');
  });

  it('stores a hash, never the password', async () => {
    const kit = userTestKit();
    const view = await kit.register.execute({ email: 'ada@example.org', password: PASSWORD, name: 'Ada' });
    const stored = kit.store.state.users.get(view.ok ? view.value.id : '');
    expect(stored?.passwordHash).to.be.a('string').and.not.include(PASSWORD);
    expect(view.ok && Object.keys(view.value)).to.not.include('passwordHash');
  });

  it('refuses an email that differs only in case from an existing one, and publishes nothing more', async () => {
    const kit = userTestKit();
    await kit.register.execute({ email: 'ada@example.org', password: PASSWORD, name: 'Ada' });
    const second = await kit.register.execute({ email: 'ADA@Example.ORG', password: PASSWORD, name: 'Impostor' });
    expect(second.ok ? null : second.error).to.include({ code: 'USER.EMAIL_TAKEN', kind: 'conflict' });
    expect(kit.store.state.users.size).to.equal(1);
    expect(kit.published()).to.have.length(1);
  });

  it('refuses a password shorter than 10 characters without hashing or storing anything', async () => {
    const kit = userTestKit();
    const result = await kit.register.execute({ email: 'ada@example.org', password: 'short-pw9', name: 'Ada' });
    expect(result.ok ? null : result.error).to.include({ code: 'USER.PASSWORD_TOO_SHORT', kind: 'validation' });
    expect(kit.hasher.calls.hash).to.equal(0);
    expect(kit.store.state.users.size).to.equal(0);
    expect(kit.published()).to.deep.equal([]);
  });

  it('refuses an empty name and a malformed email', async () => {
    const kit = userTestKit();
    const noName = await kit.register.execute({ email: 'ada@example.org', password: PASSWORD, name: '  ' });
    const badEmail = await kit.register.execute({ email: 'ada-at-example.org', password: PASSWORD, name: 'Ada' });
    expect([noName, badEmail].map((r) => (r.ok ? null : r.error.code))).to.deep.equal(['USER.INVALID_NAME', 'USER.INVALID_EMAIL']);
  });

  it('answers EMAIL_TAKEN, with nothing stored or published, when a concurrent registration wins between check and insert', async () => {
    // The repository's unique index is the last word: make the prior check miss, as it would in a race.
    const kit = userTestKit({
      uow: (store): UnitOfWork<UserScope> => ({
        run: (work) => store.uow.run((scope) => {
          sinon.stub(scope.users, 'findByEmail').resolves(null);
          return work(scope);
        }),
      }),
    });
    await kit.register.execute({ email: 'ada@example.org', password: PASSWORD, name: 'Ada' });
    const raced = await kit.register.execute({ email: 'Ada@example.org', password: PASSWORD, name: 'Ada again' });
    expect(raced.ok ? null : raced.error.code).to.equal('USER.EMAIL_TAKEN');
    expect(kit.store.state.users.size).to.equal(1);
    expect(kit.published()).to.have.length(1);
  });

  it('leaves neither the user nor its message behind when the unit of work rolls back', async () => {
    const kit = userTestKit({
      uow: (store): UnitOfWork<UserScope> => ({
        run: (work) => store.uow.run(async (scope) => {
          await work(scope);
          throw new Error('commit failed');
        }),
      }),
    });
    const attempt = kit.register.execute({ email: 'ada@example.org', password: PASSWORD, name: 'Ada' });
    let thrown: unknown;
    try { await attempt; } catch (error) { thrown = error; }
    expect(thrown).to.be.instanceOf(Error).and.not.be.instanceOf(DomainError);
    expect(kit.store.pending()).to.deep.equal([]);
    expect(kit.store.state.users.size).to.equal(0);
  });
});

describe('Login', () => {
  it('answers an access token, a refresh token, expiresIn (15 minutes by default) and the user', async () => {
    const kit = userTestKit();
    const user = await kit.seedUser('ada@example.org', 'organizer');
    const result = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD, userAgent: 'Firefox', ip: '192.0.2.1' });
    if (!result.ok) throw result.error;
    expect(result.value.expiresIn).to.equal(900);
    expect(result.value.user).to.deep.include({ id: user.id, role: 'organizer', email: 'ada@example.org' });
    expect(result.value.refreshToken).to.be.a('string').with.length.greaterThan(20);
    const claims = kit.accessTokens.read(result.value.accessToken);
    const [session] = [...kit.store.state.loginSessions.values()];
    expect(claims).to.deep.equal({ userId: user.id, email: 'ada@example.org', role: 'organizer', sessionId: session!.id });
  });

  it('opens a login session that stores only the hash of the refresh token, expiring in 30 days', async () => {
    const kit = userTestKit();
    const user = await kit.seedUser('ada@example.org');
    const result = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD, userAgent: 'Firefox', ip: '192.0.2.1' });
    if (!result.ok) throw result.error;
    const sessions = [...kit.store.state.loginSessions.values()];
    expect(sessions).to.have.length(1);
    expect(sessions[0]).to.deep.include({
      userId: user.id,
      userAgent: 'Firefox',
      ip: '192.0.2.1',
      refreshTokenHash: kit.refreshTokens.hash(result.value.refreshToken),
      expiresAt: new Date('2026-04-01T09:00:00.000Z'),
    });
    expect(JSON.stringify(sessions, (_k, v: unknown) => (v instanceof Map ? [...v] : v))).to.not.include(result.value.refreshToken);
  });

  it('finds the account whatever the case of the email typed', async () => {
    const kit = userTestKit();
    await kit.seedUser('Ada@Example.org');
    expect((await kit.login.execute({ email: 'aDA@example.ORG', password: PASSWORD })).ok).to.equal(true);
  });

  it('gives the same answer for an unknown email and a wrong password, and checks a hash either way', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    const verifications = kit.hasher.calls.verify;
    const wrongPassword = await kit.login.execute({ email: 'ada@example.org', password: 'wrong password!' });
    const unknownEmail = await kit.login.execute({ email: 'nobody@example.org', password: PASSWORD });
    expect(kit.hasher.calls.verify - verifications).to.equal(2);
    for (const result of [wrongPassword, unknownEmail]) {
      expect(result.ok).to.equal(false);
      if (!result.ok) expect({ code: result.error.code, kind: result.error.kind, message: result.error.message }).to.deep.equal({
        code: 'AUTH.INVALID_CREDENTIALS',
        kind: 'unauthorized',
        message: 'email or password is wrong',
      });
    }
    expect(kit.store.state.loginSessions.size).to.equal(0);
  });

  it('uses configured lifetimes', async () => {
    const kit = userTestKit({ auth: { accessTokenTtlSeconds: 60, loginSessionTtlSeconds: 3600 } });
    await kit.seedUser('ada@example.org');
    const result = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD });
    expect(result.ok && result.value.expiresIn).to.equal(60);
    expect(kit.accessTokens.issued[0]?.ttlSeconds).to.equal(60);
    expect([...kit.store.state.loginSessions.values()][0]?.expiresAt).to.deep.equal(new Date('2026-03-02T10:00:00.000Z'));
  });

  it('refuses a nonsensical lifetime at construction', () => {
    expect(() => userTestKit({ auth: { accessTokenTtlSeconds: 0 } })).to.throw(RangeError);
  });

  it('refuses an absurdly long password without hashing it', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    const verifications = kit.hasher.calls.verify;
    const result = await kit.login.execute({ email: 'ada@example.org', password: 'x'.repeat(10_000) });
    expect(result.ok ? null : result.error.code).to.equal('AUTH.INVALID_CREDENTIALS');
    expect(kit.hasher.calls.verify).to.equal(verifications);
  });

  it('each login opens its own session (one per device)', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    const a = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD });
    const b = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD });
    expect(a.ok && b.ok && a.value.refreshToken !== b.value.refreshToken).to.equal(true);
    expect(kit.store.state.loginSessions.size).to.equal(2);
  });
});
