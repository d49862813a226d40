import { expect } from 'chai';
import { PASSWORD, userTestKit, type UserTestKit } from '../testing/user-test-kit.js';

async function loginAs(kit: UserTestKit, email: string, userAgent: string) {
  const result = await kit.login.execute({ email, password: PASSWORD, userAgent });
  if (!result.ok) throw result.error;
  return { ...result.value, sessionId: kit.accessTokens.read(result.value.accessToken)!.sessionId };
}

describe('ListLoginSessions and RevokeLoginSession', () => {
  it('lists the caller\'s own active sessions, most recently used first, marking the current one', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    await kit.seedUser('bob@example.org');
    const phone = await loginAs(kit, 'ada@example.org', 'Phone');
    kit.clock.advance(60_000);
    const laptop = await loginAs(kit, 'ada@example.org', 'Laptop');
    kit.clock.advance(60_000);
    const old = await loginAs(kit, 'ada@example.org', 'Old tablet');
    await kit.logout.execute({ refreshToken: old.refreshToken });
    await loginAs(kit, 'bob@example.org', 'Bob');

    const result = await kit.listSessions.execute({ actor: kit.actor(ada), currentSessionId: phone.sessionId });
    if (!result.ok) throw result.error;
    expect(result.value.nextCursor).to.equal(null);
    expect(result.value.items.map((s) => [s.id, s.userAgent, s.current])).to.deep.equal([
      [laptop.sessionId, 'Laptop', false],
      [phone.sessionId, 'Phone', true],
    ]);
    expect(Object.keys(result.value.items[0]!).sort()).to.deep.equal(['createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastUsedAt', 'userAgent']);
  });

  it('drops expired sessions from the list', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    await loginAs(kit, 'ada@example.org', 'Phone');
    kit.clock.advance(31 * 24 * 3600_000);
    const result = await kit.listSessions.execute({ actor: kit.actor(ada) });
    expect(result.ok && result.value.items).to.deep.equal([]);
  });

  it('revokes one of the caller\'s sessions: its refresh token stops working, the others keep working', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    const phone = await loginAs(kit, 'ada@example.org', 'Phone');
    const laptop = await loginAs(kit, 'ada@example.org', 'Laptop');
    expect(await kit.revokeSession.execute({ actor: kit.actor(ada), sessionId: phone.sessionId })).to.deep.equal({ ok: true, value: undefined });
    const refreshed = await kit.refresh.execute({ refreshToken: phone.refreshToken });
    expect(refreshed.ok ? null : refreshed.error.code).to.equal('AUTH.LOGIN_SESSION_REVOKED');
    expect((await kit.refresh.execute({ refreshToken: laptop.refreshToken })).ok).to.equal(true);
    expect((await kit.revokeSession.execute({ actor: kit.actor(ada), sessionId: phone.sessionId })).ok, 'again').to.equal(true);
  });

  it('forbids revoking another user\'s session, also for an admin, and leaves it working', async () => {
    const kit = userTestKit();
    await kit.seedUser('ada@example.org');
    const mallory = await kit.seedUser('mallory@example.org');
    const admin = await kit.seedUser('root@example.org', 'admin');
    const adas = await loginAs(kit, 'ada@example.org', 'Phone');
    for (const actor of [kit.actor(mallory), kit.actor(admin)]) {
      const result = await kit.revokeSession.execute({ actor, sessionId: adas.sessionId });
      expect(result.ok ? null : result.error).to.include({ code: 'AUTH.NOT_YOUR_SESSION', kind: 'forbidden' });
    }
    expect((await kit.refresh.execute({ refreshToken: adas.refreshToken })).ok).to.equal(true);
  });

  it('answers not_found for a session that does not exist, or an id that is not one', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    for (const sessionId of ['00000000-0000-4000-8000-0000000000ff', 'not-a-uuid']) {
      const result = await kit.revokeSession.execute({ actor: kit.actor(ada), sessionId });
      expect(result.ok ? null : result.error).to.include({ code: 'AUTH.LOGIN_SESSION_NOT_FOUND', kind: 'not_found' });
    }
  });
});
