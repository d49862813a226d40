import { expect } from 'chai';
import { PASSWORD, userTestKit, type UserTestKit } from '../testing/user-test-kit.js';

async function loggedIn(kit: UserTestKit, email = 'ada@example.org') {
  await kit.seedUser(email);
  const result = await kit.login.execute({ email, password: PASSWORD });
  if (!result.ok) throw result.error;
  return result.value;
}

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? 'ok' : result.error?.code);

describe('RefreshLogin', () => {
  it('rotates: answers a new refresh token and access token for the same login session', async () => {
    const kit = userTestKit();
    const first = await loggedIn(kit);
    kit.clock.advance(10 * 60_000);
    const second = await kit.refresh.execute({ refreshToken: first.refreshToken });
    if (!second.ok) throw second.error;
    expect(second.value.refreshToken).to.not.equal(first.refreshToken);
    expect(second.value.accessToken).to.not.equal(first.accessToken);
    expect(second.value.expiresIn).to.equal(900);
    expect(second.value.user.email).to.equal('ada@example.org');
    expect(kit.store.state.loginSessions.size).to.equal(1);
    const sessionIds = [first.accessToken, second.value.accessToken].map((token) => kit.accessTokens.read(token)?.sessionId);
    expect(sessionIds[0]).to.be.a('string').and.equal(sessionIds[1]);
  });

  it('keeps rotating along a chain of refreshes', async () => {
    const kit = userTestKit();
    let token = (await loggedIn(kit)).refreshToken;
    for (let i = 0; i < 5; i++) {
      const next = await kit.refresh.execute({ refreshToken: token });
      if (!next.ok) throw next.error;
      token = next.value.refreshToken;
    }
    expect(codeOf(await kit.refresh.execute({ refreshToken: token }))).to.equal('ok');
  });

  it('treats a rotated-out token presented again as theft: revokes the login session, and the newest token stops working too', async () => {
    const kit = userTestKit();
    const first = await loggedIn(kit);
    const second = await kit.refresh.execute({ refreshToken: first.refreshToken });
    if (!second.ok) throw second.error;

    const replay = await kit.refresh.execute({ refreshToken: first.refreshToken });
    expect(replay.ok ? null : replay.error).to.include({ code: 'AUTH.REFRESH_TOKEN_REUSED', kind: 'unauthorized' });
    const [session] = [...kit.store.state.loginSessions.values()];
    expect(session?.revokedAt).to.deep.equal(kit.clock.now());

    const legit = await kit.refresh.execute({ refreshToken: second.value.refreshToken });
    expect(legit.ok ? null : legit.error).to.include({ code: 'AUTH.LOGIN_SESSION_REVOKED', kind: 'unauthorized' });
  });

  it('revokes only the login session the reused token belongs to', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    const phone = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD });
    const laptop = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD });
    if (!phone.ok || !laptop.ok) throw new Error('login failed');
    await kit.refresh.execute({ refreshToken: phone.value.refreshToken });
    await kit.refresh.execute({ refreshToken: phone.value.refreshToken });
    expect(codeOf(await kit.refresh.execute({ refreshToken: laptop.value.refreshToken }))).to.equal('ok');
  });

  it('refuses a token it never issued', async () => {
    const kit = userTestKit();
    await loggedIn(kit);
    const result = await kit.refresh.execute({ refreshToken: 'made-up-token-made-up-token' });
    expect(result.ok ? null : result.error).to.include({ code: 'AUTH.INVALID_REFRESH_TOKEN', kind: 'unauthorized' });
  });

  it('refuses an expired login session after 30 days without a refresh', async () => {
    const kit = userTestKit();
    const first = await loggedIn(kit);
    kit.clock.advance(30 * 24 * 3600_000);
    const result = await kit.refresh.execute({ refreshToken: first.refreshToken });
    expect(result.ok ? null : result.error).to.include({ code: 'AUTH.LOGIN_SESSION_EXPIRED', kind: 'unauthorized' });
  });

  it('keeps an active user logged in: each refresh starts the 30 days again', async () => {
    const kit = userTestKit();
    let token = (await loggedIn(kit)).refreshToken;
    for (let week = 0; week < 8; week++) {
      kit.clock.advance(7 * 24 * 3600_000);
      const next = await kit.refresh.execute({ refreshToken: token });
      if (!next.ok) throw next.error;
      token = next.value.refreshToken;
    }
  });

  it('issues the access token with the role as stored now', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    const first = await loggedIn(kit);
    const ada = kit.store.state.users.get(first.user.id)!;
    const changed = await kit.changeRole.execute({ actor: kit.actor(admin), userId: ada.id, role: 'organizer' });
    expect(changed.ok).to.equal(true);
    const refreshed = await kit.refresh.execute({ refreshToken: first.refreshToken });
    if (!refreshed.ok) throw refreshed.error;
    expect(kit.accessTokens.read(refreshed.value.accessToken)?.role).to.equal('organizer');
    expect(refreshed.value.user.role).to.equal('organizer');
  });

  it('updates the session labels and last use', async () => {
    const kit = userTestKit();
    const first = await loggedIn(kit);
    kit.clock.advance(60_000);
    await kit.refresh.execute({ refreshToken: first.refreshToken, userAgent: 'Firefox 141', ip: '198.51.100.9' });
    const [session] = [...kit.store.state.loginSessions.values()];
    expect(session).to.deep.include({ userAgent: 'Firefox 141', ip: '198.51.100.9', lastUsedAt: kit.clock.now() });
  });
});

describe('Logout', () => {
  it('revokes the login session, so refreshing afterwards fails', async () => {
    const kit = userTestKit();
    const tokens = await loggedIn(kit);
    expect(await kit.logout.execute({ refreshToken: tokens.refreshToken })).to.deep.equal({ ok: true, value: undefined });
    const result = await kit.refresh.execute({ refreshToken: tokens.refreshToken });
    expect(result.ok ? null : result.error).to.include({ code: 'AUTH.LOGIN_SESSION_REVOKED', kind: 'unauthorized' });
  });

  it('is idempotent: logging out twice, or with an unknown token, succeeds', async () => {
    const kit = userTestKit();
    const tokens = await loggedIn(kit);
    await kit.logout.execute({ refreshToken: tokens.refreshToken });
    const revokedAt = [...kit.store.state.loginSessions.values()][0]?.revokedAt;
    kit.clock.advance(60_000);
    expect((await kit.logout.execute({ refreshToken: tokens.refreshToken })).ok).to.equal(true);
    expect((await kit.logout.execute({ refreshToken: 'never-issued' })).ok).to.equal(true);
    expect([...kit.store.state.loginSessions.values()][0]?.revokedAt).to.deep.equal(revokedAt);
  });

  it('with a rotated-out token still ends the session', async () => {
    const kit = userTestKit();
    const first = await loggedIn(kit);
    const second = await kit.refresh.execute({ refreshToken: first.refreshToken });
    if (!second.ok) throw second.error;
    await kit.logout.execute({ refreshToken: first.refreshToken });
    expect(codeOf(await kit.refresh.execute({ refreshToken: second.value.refreshToken }))).to.equal('AUTH.LOGIN_SESSION_REVOKED');
  });

  it('leaves the user\'s other login sessions alone', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    const phone = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD });
    const laptop = await kit.login.execute({ email: 'ada@example.org', password: PASSWORD });
    if (!phone.ok || !laptop.ok) throw new Error('login failed');
    await kit.logout.execute({ refreshToken: phone.value.refreshToken });
    expect(codeOf(await kit.refresh.execute({ refreshToken: laptop.value.refreshToken }))).to.equal('ok');
  });
});
