import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DomainError, StaleVersionError } from '@conference/kernel';
import type { LoginSession } from '../domain/login-session.js';
import type { User } from '../domain/user.js';
import { at, rejectionOf, type UserStoreFixture } from './contract-helpers.js';

let serial = 0;
const tokenHash = (): string => createHash('sha256').update(randomUUID()).digest('hex');

function aUser(): User {
  serial += 1;
  return {
    id: randomUUID(),
    email: `session-owner${serial}@example.org`,
    name: `Owner ${serial}`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    role: 'attendee',
    createdAt: at(0),
    updatedAt: at(0),
    version: 1,
  };
}

function aSession(userId: string, overrides: Partial<LoginSession> = {}): LoginSession {
  return {
    id: randomUUID(),
    userId,
    createdAt: at(10),
    lastUsedAt: at(10),
    expiresAt: at(10 + 30 * 24 * 60),
    revokedAt: null,
    userAgent: null,
    ip: null,
    refreshTokenHash: tokenHash(),
    rotatedTokenHashes: [],
    version: 1,
    ...overrides,
  };
}

/**
 * Every LoginSessionRepository adapter must pass this. Sessions belong to users that exist (a
 * SQL schema may hold a foreign key to users within the service's own database), so the suite
 * creates them through the UserRepository first.
 */
export function loginSessionRepositoryContract(name: string, makeFixture: () => Promise<UserStoreFixture>): void {
  describe(`LoginSessionRepository contract: ${name}`, () => {
    let fixture: UserStoreFixture;
    let owner: User;
    let other: User;
    beforeEach(async () => {
      fixture = await makeFixture();
      owner = aUser();
      other = aUser();
      await fixture.uow.run(async ({ users }) => { await users.insert(owner); await users.insert(other); });
    });
    afterEach(async () => { await fixture.close?.(); });

    const insert = (...sessions: LoginSession[]) =>
      fixture.uow.run(async ({ loginSessions }) => { for (const session of sessions) await loginSessions.insert(session); });
    const byId = (id: string) => fixture.uow.run(({ loginSessions }) => loginSessions.findById(id));
    const byHash = (hash: string) => fixture.uow.run(({ loginSessions }) => loginSessions.findByRefreshTokenHash(hash));
    const update = (session: LoginSession, expected: number) => fixture.uow.run(({ loginSessions }) => loginSessions.update(session, expected));
    const active = (userId: string, now: Date) => fixture.uow.run(({ loginSessions }) => loginSessions.listActiveByUser(userId, now));

    describe('insert and find', () => {
      it('round-trips every field', async () => {
        const session = aSession(owner.id, {
          createdAt: at(1),
          lastUsedAt: at(5),
          expiresAt: at(60),
          revokedAt: at(7),
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
          ip: '2001:db8::1',
          rotatedTokenHashes: [tokenHash(), tokenHash()],
          version: 4,
        });
        await insert(session);
        expect(await byId(session.id)).to.deep.equal(session);
      });

      it('keeps absent labels as null and an empty rotation history as []', async () => {
        const session = aSession(owner.id);
        await insert(session);
        expect(await byId(session.id)).to.deep.equal(session);
      });

      it('keeps a long rotation history in order', async () => {
        const history = Array.from({ length: 100 }, tokenHash);
        const session = aSession(owner.id, { rotatedTokenHashes: history });
        await insert(session);
        expect((await byId(session.id))?.rotatedTokenHashes).to.deep.equal(history);
      });

      it('answers null for an unknown id or hash', async () => {
        await insert(aSession(owner.id));
        expect(await byId(randomUUID())).to.equal(null);
        expect(await byHash(tokenHash())).to.equal(null);
      });

      it('refuses a second session with the same id, or with a refresh-token hash already known, with LOGIN_SESSION.DUPLICATE', async () => {
        const session = aSession(owner.id, { rotatedTokenHashes: [tokenHash()] });
        await insert(session);
        for (const duplicate of [
          aSession(owner.id, { id: session.id }),
          aSession(other.id, { refreshTokenHash: session.refreshTokenHash }),
          aSession(other.id, { refreshTokenHash: session.rotatedTokenHashes[0]! }),
        ]) {
          const error = await rejectionOf(insert(duplicate));
          expect(error).to.be.instanceOf(DomainError);
          expect(error).to.include({ code: 'LOGIN_SESSION.DUPLICATE', kind: 'conflict' });
        }
        expect(await byId(session.id)).to.deep.equal(session);
      });

      it('stores nothing when the unit of work throws', async () => {
        const session = aSession(owner.id);
        await rejectionOf(fixture.uow.run(async ({ loginSessions }) => {
          await loginSessions.insert(session);
          throw new Error('boom');
        }));
        expect(await byId(session.id)).to.equal(null);
        expect(await byHash(session.refreshTokenHash)).to.equal(null);
      });
    });

    describe('findByRefreshTokenHash', () => {
      it('tells the current token from one already rotated out', async () => {
        const old1 = tokenHash();
        const old2 = tokenHash();
        const session = aSession(owner.id, { rotatedTokenHashes: [old1, old2], version: 3 });
        await insert(session);
        expect(await byHash(session.refreshTokenHash)).to.deep.equal({ session, current: true });
        expect(await byHash(old1)).to.deep.equal({ session, current: false });
        expect(await byHash(old2)).to.deep.equal({ session, current: false });
      });

      it('finds revoked and expired sessions too (the use case judges them)', async () => {
        const revoked = aSession(owner.id, { revokedAt: at(20) });
        const expired = aSession(owner.id, { expiresAt: at(11) });
        await insert(revoked, expired);
        expect((await byHash(revoked.refreshTokenHash))?.session.id).to.equal(revoked.id);
        expect((await byHash(expired.refreshTokenHash))?.session.id).to.equal(expired.id);
      });

      it('finds the right session among many', async () => {
        const sessions = Array.from({ length: 5 }, () => aSession(owner.id, { rotatedTokenHashes: [tokenHash()] }));
        await insert(...sessions);
        for (const session of sessions) {
          expect((await byHash(session.rotatedTokenHashes[0]!))?.session.id).to.equal(session.id);
        }
      });
    });

    describe('update', () => {
      it('rotates: the new hash is current, the old one is known as rotated out', async () => {
        const session = aSession(owner.id);
        await insert(session);
        const rotated: LoginSession = {
          ...session,
          refreshTokenHash: tokenHash(),
          rotatedTokenHashes: [session.refreshTokenHash],
          lastUsedAt: at(30),
          expiresAt: at(30 + 30 * 24 * 60),
          userAgent: 'curl/8.5',
          ip: '192.0.2.7',
          version: 2,
        };
        await update(rotated, 1);
        expect(await byId(session.id)).to.deep.equal(rotated);
        expect(await byHash(rotated.refreshTokenHash)).to.deep.equal({ session: rotated, current: true });
        expect(await byHash(session.refreshTokenHash)).to.deep.equal({ session: rotated, current: false });
      });

      it('records a revocation', async () => {
        const session = aSession(owner.id);
        await insert(session);
        await update({ ...session, revokedAt: at(40), version: 2 }, 1);
        expect((await byId(session.id))?.revokedAt).to.deep.equal(at(40));
      });

      it('throws StaleVersionError (LOGIN_SESSION.STALE_VERSION) for a stale version: of two refreshes with one token, one wins', async () => {
        const session = aSession(owner.id);
        await insert(session);
        const winner = { ...session, refreshTokenHash: tokenHash(), rotatedTokenHashes: [session.refreshTokenHash], version: 2 };
        const loser = { ...session, refreshTokenHash: tokenHash(), rotatedTokenHashes: [session.refreshTokenHash], version: 2 };
        await update(winner, 1);
        const error = await rejectionOf(update(loser, 1));
        expect(error).to.be.instanceOf(StaleVersionError);
        expect(error).to.include({ code: 'LOGIN_SESSION.STALE_VERSION', kind: 'conflict' });
        expect(await byId(session.id)).to.deep.equal(winner);
        expect(await byHash(loser.refreshTokenHash)).to.equal(null);
      });

      it('throws StaleVersionError for a session that does not exist', async () => {
        expect(await rejectionOf(update(aSession(owner.id, { version: 2 }), 1))).to.be.instanceOf(StaleVersionError);
      });

      it('keeps the old session when the unit of work throws after the update', async () => {
        const session = aSession(owner.id);
        await insert(session);
        await rejectionOf(fixture.uow.run(async ({ loginSessions }) => {
          await loginSessions.update({ ...session, revokedAt: at(50), version: 2 }, 1);
          throw new Error('boom');
        }));
        expect(await byId(session.id)).to.deep.equal(session);
      });
    });

    describe('listActiveByUser', () => {
      it('lists only the user\'s sessions that are neither revoked nor expired, most recently used first', async () => {
        const now = at(100);
        const ids = [randomUUID(), randomUUID()].sort();
        const recent = aSession(owner.id, { lastUsedAt: at(90), expiresAt: at(200) });
        const tieB = aSession(owner.id, { id: ids[1]!, lastUsedAt: at(50), expiresAt: at(200) });
        const tieA = aSession(owner.id, { id: ids[0]!, lastUsedAt: at(50), expiresAt: at(200) });
        const revoked = aSession(owner.id, { lastUsedAt: at(95), expiresAt: at(200), revokedAt: at(96) });
        const expired = aSession(owner.id, { lastUsedAt: at(20), expiresAt: at(99) });
        const expiringNow = aSession(owner.id, { lastUsedAt: at(20), expiresAt: now });
        const someoneElses = aSession(other.id, { lastUsedAt: at(99), expiresAt: at(200) });
        await insert(tieB, revoked, recent, expired, someoneElses, tieA, expiringNow);
        expect((await active(owner.id, now)).map((s) => s.id)).to.deep.equal([recent.id, tieA.id, tieB.id]);
        expect((await active(other.id, now)).map((s) => s.id)).to.deep.equal([someoneElses.id]);
        expect((await active(owner.id, at(300)))).to.deep.equal([]);
      });

      it('returns whole sessions', async () => {
        const session = aSession(owner.id, { userAgent: 'Safari', ip: '198.51.100.4', rotatedTokenHashes: [tokenHash()] });
        await insert(session);
        expect(await active(owner.id, at(11))).to.deep.equal([session]);
      });

      it('is empty for a user without sessions', async () => {
        expect(await active(randomUUID(), at(0))).to.deep.equal([]);
      });
    });
  });
}
