import { expect } from 'chai';
import type { Actor } from '@conference/kernel';
import { decodeMessage } from '@conference/messages';
import { PASSWORD, userTestKit } from '../testing/user-test-kit.js';

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? 'ok' : result.error?.code);

describe('GetMe and UpdateMe', () => {
  it('shows the caller their own account', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('Ada@Example.org');
    const me = await kit.getMe.execute({ actor: kit.actor(ada) });
    expect(me.ok && me.value).to.deep.include({ id: ada.id, email: 'Ada@Example.org', role: 'attendee', version: 1 });
  });

  it('answers USER.NOT_FOUND for a token whose account is gone', async () => {
    const kit = userTestKit();
    const me = await kit.getMe.execute({ actor: { userId: '00000000-0000-4000-8000-0000000000aa', role: 'attendee' } });
    expect(codeOf(me)).to.equal('USER.NOT_FOUND');
  });

  it('changes name and email with the expected version, moving the version on', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    kit.clock.advance(60_000);
    const result = await kit.updateMe.execute({ actor: kit.actor(ada), name: 'Ada King', email: 'countess@example.org', expectedVersion: 1 });
    expect(result.ok && result.value).to.deep.include({ name: 'Ada King', email: 'countess@example.org', version: 2, updatedAt: '2026-03-02T09:01:00.000Z' });
    expect((await kit.login.execute({ email: 'countess@example.org', password: PASSWORD })).ok).to.equal(true);
    expect(codeOf(await kit.login.execute({ email: 'ada@example.org', password: PASSWORD }))).to.equal('AUTH.INVALID_CREDENTIALS');
  });

  it('refuses a stale version with a conflict and changes nothing', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    await kit.updateMe.execute({ actor: kit.actor(ada), name: 'First', expectedVersion: 1 });
    const stale = await kit.updateMe.execute({ actor: kit.actor(ada), name: 'Second', expectedVersion: 1 });
    expect(stale.ok ? null : stale.error).to.include({ code: 'USER.STALE_VERSION', kind: 'conflict' });
    expect(kit.store.state.users.get(ada.id)?.name).to.equal('First');
  });

  it('refuses another user\'s email in any case, but allows re-casing one\'s own', async () => {
    const kit = userTestKit();
    await kit.seedUser('bob@example.org');
    const ada = await kit.seedUser('ada@example.org');
    const taken = await kit.updateMe.execute({ actor: kit.actor(ada), email: 'BOB@example.org', expectedVersion: 1 });
    expect(taken.ok ? null : taken.error).to.include({ code: 'USER.EMAIL_TAKEN', kind: 'conflict' });
    const recased = await kit.updateMe.execute({ actor: kit.actor(ada), email: 'Ada@Example.org', expectedVersion: 1 });
    expect(recased.ok && recased.value.email).to.equal('Ada@Example.org');
  });

  it('refuses an invalid name or email, and writes nothing for an empty change', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    expect(codeOf(await kit.updateMe.execute({ actor: kit.actor(ada), name: ' ', expectedVersion: 1 }))).to.equal('USER.INVALID_NAME');
    expect(codeOf(await kit.updateMe.execute({ actor: kit.actor(ada), email: 'nope', expectedVersion: 1 }))).to.equal('USER.INVALID_EMAIL');
    const same = await kit.updateMe.execute({ actor: kit.actor(ada), expectedVersion: 1 });
    expect(same.ok && same.value.version).to.equal(1);
  });
});

describe('ListUsers', () => {
  it('is for admins only: attendees and organizers are forbidden', async () => {
    const kit = userTestKit();
    for (const role of ['attendee', 'organizer'] as const) {
      const user = await kit.seedUser(`${role}@example.org`, role);
      const result = await kit.listUsers.execute({ actor: kit.actor(user) });
      expect(result.ok ? null : result.error).to.include({ code: 'AUTH.ADMIN_REQUIRED', kind: 'forbidden' });
    }
  });

  it('goes by the stored role, not the token\'s: a claimed admin role is not enough', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    const forged: Actor = { userId: ada.id, role: 'admin' };
    expect(codeOf(await kit.listUsers.execute({ actor: forged }))).to.equal('AUTH.ADMIN_REQUIRED');
  });

  it('pages through every user once, in sign-up order', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    for (let i = 0; i < 6; i++) {
      kit.clock.advance(i % 2 === 0 ? 0 : 1000); // some share a creation instant
      await kit.seedUser(`user${i}@example.org`);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await kit.listUsers.execute({ actor: kit.actor(admin), limit: 3, cursor });
      if (!page.ok) throw page.error;
      expect(page.value.items.length).to.be.at.most(3);
      seen.push(...page.value.items.map((u) => u.email));
      cursor = page.value.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(['root@example.org', ...Array.from({ length: 6 }, (_, i) => `user${i}@example.org`)]);
  });

  it('filters by part of the name or email, any case', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    await kit.seedUser('ada@analytical.org', 'attendee', 'Ada Lovelace');
    await kit.seedUser('grace@navy.mil', 'attendee', 'Grace Hopper');
    const result = await kit.listUsers.execute({ actor: kit.actor(admin), q: '  LOVE ' });
    expect(result.ok && result.value.items.map((u) => u.name)).to.deep.equal(['Ada Lovelace']);
    const byMail = await kit.listUsers.execute({ actor: kit.actor(admin), q: 'navy' });
    expect(byMail.ok && byMail.value.items.map((u) => u.name)).to.deep.equal(['Grace Hopper']);
  });

  it('refuses a cursor it did not issue', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    for (const cursor of ['garbage!', Buffer.from(JSON.stringify(['not a date', 'x'])).toString('base64url')]) {
      expect(codeOf(await kit.listUsers.execute({ actor: kit.actor(admin), cursor }))).to.equal('PAGINATION.INVALID_CURSOR');
    }
  });
});

describe('GetUser', () => {
  it('shows a user to themselves and to an admin, and forbids everyone else', async () => {
    const kit = userTestKit();
    const ada = await kit.seedUser('ada@example.org');
    const bob = await kit.seedUser('bob@example.org', 'organizer');
    const admin = await kit.seedUser('root@example.org', 'admin');
    expect(codeOf(await kit.getUser.execute({ actor: kit.actor(ada), userId: ada.id }))).to.equal('ok');
    expect(codeOf(await kit.getUser.execute({ actor: kit.actor(admin), userId: ada.id }))).to.equal('ok');
    const denied = await kit.getUser.execute({ actor: kit.actor(bob), userId: ada.id });
    expect(denied.ok ? null : denied.error).to.include({ code: 'AUTH.SELF_OR_ADMIN_REQUIRED', kind: 'forbidden' });
  });

  it('does not tell a non-admin whether an id exists', async () => {
    const kit = userTestKit();
    const bob = await kit.seedUser('bob@example.org');
    expect(codeOf(await kit.getUser.execute({ actor: kit.actor(bob), userId: '00000000-0000-4000-8000-0000000000ee' }))).to.equal('AUTH.SELF_OR_ADMIN_REQUIRED');
  });

  it('answers USER.NOT_FOUND to an admin for an unknown or malformed id', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    for (const userId of ['00000000-0000-4000-8000-0000000000ee', 'nope']) {
      expect(codeOf(await kit.getUser.execute({ actor: kit.actor(admin), userId }))).to.equal('USER.NOT_FOUND');
    }
  });
});

describe('ChangeRole', () => {
  it('lets an admin change a role, and the change is stored with a new version', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    const ada = await kit.seedUser('ada@example.org');
    const result = await kit.changeRole.execute({ actor: kit.actor(admin), userId: ada.id, role: 'organizer' });
    expect(result.ok && result.value).to.deep.include({ role: 'organizer', version: 2 });
    expect(kit.store.state.users.get(ada.id)?.role).to.equal('organizer');
  });

  it('is for admins only', async () => {
    const kit = userTestKit();
    const organizer = await kit.seedUser('org@example.org', 'organizer');
    const ada = await kit.seedUser('ada@example.org');
    for (const actor of [kit.actor(organizer), kit.actor(ada)]) {
      const result = await kit.changeRole.execute({ actor, userId: ada.id, role: 'admin' });
      expect(result.ok ? null : result.error).to.include({ code: 'AUTH.ADMIN_REQUIRED', kind: 'forbidden' });
    }
    expect(kit.store.state.users.get(ada.id)?.role).to.equal('attendee');
  });

  it('refuses to demote the last admin, also when the admin demotes themselves', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    for (const role of ['organizer', 'attendee'] as const) {
      const result = await kit.changeRole.execute({ actor: kit.actor(admin), userId: admin.id, role });
      expect(result.ok ? null : result.error).to.include({ code: 'USER.LAST_ADMIN', kind: 'conflict' });
    }
    expect(kit.store.state.users.get(admin.id)?.role).to.equal('admin');
  });

  it('lets one of two admins step down, and then the remaining one is the last', async () => {
    const kit = userTestKit();
    const first = await kit.seedUser('first@example.org', 'admin');
    const second = await kit.seedUser('second@example.org', 'admin');
    expect(codeOf(await kit.changeRole.execute({ actor: kit.actor(first), userId: first.id, role: 'attendee' }))).to.equal('ok');
    // The demoted admin's token still says admin; the stored role decides.
    expect(codeOf(await kit.changeRole.execute({ actor: kit.actor(first), userId: second.id, role: 'attendee' }))).to.equal('AUTH.ADMIN_REQUIRED');
    expect(codeOf(await kit.changeRole.execute({ actor: kit.actor(second), userId: second.id, role: 'attendee' }))).to.equal('USER.LAST_ADMIN');
  });

  it('changes nothing for the role a user already has, and refuses a stale expected version', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    const ada = await kit.seedUser('ada@example.org');
    const same = await kit.changeRole.execute({ actor: kit.actor(admin), userId: ada.id, role: 'attendee' });
    expect(same.ok && same.value.version).to.equal(1);
    const stale = await kit.changeRole.execute({ actor: kit.actor(admin), userId: ada.id, role: 'organizer', expectedVersion: 7 });
    expect(codeOf(stale)).to.equal('USER.STALE_VERSION');
  });

  it('answers USER.NOT_FOUND for an unknown user', async () => {
    const kit = userTestKit();
    const admin = await kit.seedUser('root@example.org', 'admin');
    expect(codeOf(await kit.changeRole.execute({ actor: kit.actor(admin), userId: '00000000-0000-4000-8000-0000000000ee', role: 'organizer' }))).to.equal('USER.NOT_FOUND');
  });
});

describe('EnsureAdmin', () => {
  const config = { email: 'Root@Example.org', password: 'configured-secret', name: 'Platform admin' };

  it('creates the first admin from configuration, publishing user.registered, and can log in with it', async () => {
    const kit = userTestKit();
    const result = await kit.ensureAdmin.execute(config);
    expect(result.ok && result.value.outcome).to.equal('created');
    expect(result.ok && result.value.user).to.deep.include({ email: 'Root@Example.org', role: 'admin', name: 'Platform admin' });
    const published = kit.published('user.registered');
    expect(published).to.have.length(1);
    expect(decodeMessage(published[0]!.envelope).ok).to.equal(true);
    expect((await kit.login.execute({ email: 'root@example.org', password: 'configured-secret' })).ok).to.equal(true);
  });

  it('is idempotent: a second run changes nothing and publishes nothing', async () => {
    const kit = userTestKit();
    await kit.ensureAdmin.execute(config);
    const again = await kit.ensureAdmin.execute(config);
    expect(again.ok && again.value.outcome).to.equal('unchanged');
    expect(again.ok && again.value.user.version).to.equal(1);
    expect(kit.store.state.users.size).to.equal(1);
    expect(kit.published()).to.have.length(1);
  });

  it('promotes an existing account with that email (any case) and keeps its password', async () => {
    const kit = userTestKit();
    const existing = await kit.seedUser('root@example.org');
    const result = await kit.ensureAdmin.execute({ ...config, password: 'other-configured-secret' });
    expect(result.ok && result.value).to.deep.include({ outcome: 'promoted' });
    expect(result.ok && result.value.user).to.deep.include({ id: existing.id, role: 'admin', version: 2 });
    expect((await kit.login.execute({ email: 'root@example.org', password: PASSWORD })).ok).to.equal(true);
  });

  it('checks the password only when it has to create the account', async () => {
    const kit = userTestKit();
    const tooShort = await kit.ensureAdmin.execute({ ...config, password: 'short' });
    expect(codeOf(tooShort)).to.equal('USER.PASSWORD_TOO_SHORT');
    expect(kit.store.state.users.size).to.equal(0);
    await kit.seedUser('root@example.org');
    expect(codeOf(await kit.ensureAdmin.execute({ ...config, password: 'short' }))).to.equal('ok');
  });

  it('runs concurrently on several instances without creating two accounts', async () => {
    const kit = userTestKit();
    const outcomes = await Promise.all([kit.ensureAdmin.execute(config), kit.ensureAdmin.execute(config), kit.ensureAdmin.execute(config)]);
    expect(outcomes.map((r) => (r.ok ? r.value.outcome : r.error.code)).sort()).to.deep.equal(['created', 'unchanged', 'unchanged']);
    expect(kit.store.state.users.size).to.equal(1);
  });
});
