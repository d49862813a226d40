import { expect } from 'chai';
import { changeProfile, changeRole, changesEmailKey, checkEmail, checkName, checkNewPassword, createUser, emailKey, type User } from './user.js';

const now = new Date('2026-03-02T09:00:00.000Z');
const later = new Date('2026-03-02T10:00:00.000Z');

function user(overrides: Partial<User> = {}): User {
  const created = createUser({ id: '00000000-0000-4000-8000-000000000001', email: 'Ada@Example.org', name: 'Ada', passwordHash: 'h', now });
  if (!created.ok) throw created.error;
  return { ...created.value, ...overrides };
}

describe('User', () => {
  describe('password rule', () => {
    it('refuses fewer than 10 characters and accepts exactly 10', () => {
      const short = checkNewPassword('123456789');
      expect(short.ok).to.equal(false);
      if (!short.ok) expect(short.error).to.include({ code: 'USER.PASSWORD_TOO_SHORT', kind: 'validation' });
      expect(checkNewPassword('1234567890').ok).to.equal(true);
    });

    it('counts characters, not UTF-16 units: nine emoji are too short, ten are enough', () => {
      expect(checkNewPassword('🔐'.repeat(9)).ok).to.equal(false);
      expect(checkNewPassword('🔐'.repeat(10)).ok).to.equal(true);
    });

    it('refuses more than 256 characters', () => {
      expect(checkNewPassword('x'.repeat(256)).ok).to.equal(true);
      const long = checkNewPassword('x'.repeat(257));
      expect(long.ok ? null : long.error.code).to.equal('USER.PASSWORD_TOO_LONG');
    });

    it('keeps spaces (they are part of the secret) and normalizes Unicode forms to one', () => {
      expect(checkNewPassword('  spaced out  ')).to.deep.equal({ ok: true, value: '  spaced out  ' });
      const composed = checkNewPassword('caf\u00e9-password');
      const decomposed = checkNewPassword('cafe\u0301-password');
      expect(composed.ok && decomposed.ok && composed.value === decomposed.value).to.equal(true);
    });
  });

  describe('name and email', () => {
    it('trims the name and requires 1 to 200 characters', () => {
      expect(checkName('  Ada  ')).to.deep.equal({ ok: true, value: 'Ada' });
      expect(checkName('   ').ok).to.equal(false);
      expect(checkName('x'.repeat(200)).ok).to.equal(true);
      const long = checkName('x'.repeat(201));
      expect(long.ok ? null : long.error.code).to.equal('USER.INVALID_NAME');
    });

    it('trims the email, keeps its case, and refuses what is not an address', () => {
      expect(checkEmail(' Ada@Example.org ')).to.deep.equal({ ok: true, value: 'Ada@Example.org' });
      for (const bad of ['ada', 'ada@', '@example.org', 'a da@example.org', `${'a'.repeat(250)}@x.org`]) {
        const result = checkEmail(bad);
        expect(result.ok ? null : result.error.code, bad).to.equal('USER.INVALID_EMAIL');
      }
    });

    it('compares emails by their lower-cased form', () => {
      expect(emailKey(' Ada@Example.ORG')).to.equal('ada@example.org');
    });
  });

  it('starts as an attendee at version 1', () => {
    expect(user()).to.deep.include({ role: 'attendee', version: 1, email: 'Ada@Example.org', createdAt: now, updatedAt: now });
  });

  describe('profile change', () => {
    it('returns the very same user when nothing changes, so nothing is written', () => {
      const before = user();
      const result = changeProfile(before, { name: ' Ada ', email: 'Ada@Example.org' }, later);
      expect(result.ok && result.value).to.equal(before);
    });

    it('moves the version on by one and stamps updatedAt when something changes', () => {
      const result = changeProfile(user(), { name: 'Ada King' }, later);
      expect(result.ok && result.value).to.deep.include({ name: 'Ada King', version: 2, updatedAt: later, createdAt: now });
    });

    it('tells a new address from a new casing of the same one', () => {
      const before = user();
      const recased = changeProfile(before, { email: 'ada@example.org' }, later);
      const moved = changeProfile(before, { email: 'countess@example.org' }, later);
      if (!recased.ok || !moved.ok) throw new Error('expected both changes to be valid');
      expect(recased.value.version).to.equal(2);
      expect(changesEmailKey(before, recased.value)).to.equal(false);
      expect(changesEmailKey(before, moved.value)).to.equal(true);
    });

    it('refuses an invalid name or email', () => {
      expect(changeProfile(user(), { name: '' }, later).ok).to.equal(false);
      expect(changeProfile(user(), { email: 'nope' }, later).ok).to.equal(false);
    });
  });

  describe('role change', () => {
    it('changes the role with a new version, and returns the same user for the role it has', () => {
      const before = user();
      const promoted = changeRole(before, 'organizer', later);
      expect(promoted.ok && promoted.value).to.deep.include({ role: 'organizer', version: 2 });
      expect(changeRole(before, 'attendee', later)).to.deep.equal({ ok: true, value: before });
    });

    it('refuses something that is not a role', () => {
      const result = changeRole(user(), 'superuser' as never, later);
      expect(result.ok ? null : result.error.code).to.equal('USER.INVALID_ROLE');
    });
  });
});
