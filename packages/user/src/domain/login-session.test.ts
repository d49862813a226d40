import { expect } from 'chai';
import { MAX_ROTATED_TOKEN_HASHES, loginSessionState, openLoginSession, revokeLoginSession, rotateRefreshToken } from './login-session.js';

const start = new Date('2026-03-02T09:00:00.000Z');
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
const open = () =>
  openLoginSession({ id: 's1', userId: 'u1', refreshTokenHash: 'h0', now: start, ttlMs: 60 * 60_000, userAgent: '  Firefox  ', ip: '' });

describe('LoginSession', () => {
  it('opens active, with labels trimmed and empty ones absent', () => {
    const session = open();
    expect(session).to.deep.include({ userAgent: 'Firefox', ip: null, revokedAt: null, version: 1, expiresAt: minutes(60) });
    expect(loginSessionState(session, minutes(59))).to.equal('active');
  });

  it('expires at expiresAt exactly', () => {
    expect(loginSessionState(open(), minutes(60))).to.equal('expired');
  });

  it('cuts an overlong user agent instead of refusing the login', () => {
    const session = openLoginSession({ id: 's', userId: 'u', refreshTokenHash: 'h', now: start, ttlMs: 1, userAgent: 'x'.repeat(2000) });
    expect(session.userAgent).to.have.length(512);
  });

  it('rotation makes the new hash current, remembers the old one, and starts the expiry again', () => {
    const rotated = rotateRefreshToken(open(), { newRefreshTokenHash: 'h1', now: minutes(30), ttlMs: 60 * 60_000 });
    expect(rotated).to.deep.include({ refreshTokenHash: 'h1', rotatedTokenHashes: ['h0'], lastUsedAt: minutes(30), expiresAt: minutes(90), version: 2 });
    expect(rotated.userAgent).to.equal('Firefox');
  });

  it('remembers at most MAX_ROTATED_TOKEN_HASHES rotated hashes, dropping the oldest', () => {
    let session = open();
    for (let i = 1; i <= MAX_ROTATED_TOKEN_HASHES + 5; i++) {
      session = rotateRefreshToken(session, { newRefreshTokenHash: `h${i}`, now: start, ttlMs: 1 });
    }
    expect(session.rotatedTokenHashes).to.have.length(MAX_ROTATED_TOKEN_HASHES);
    expect(session.rotatedTokenHashes[0]).to.equal('h5');
    expect(session.rotatedTokenHashes.at(-1)).to.equal(`h${MAX_ROTATED_TOKEN_HASHES + 4}`);
  });

  it('revocation is idempotent and keeps the first revocation time', () => {
    const revoked = revokeLoginSession(open(), minutes(5));
    expect(loginSessionState(revoked, minutes(6))).to.equal('revoked');
    expect(revoked.version).to.equal(2);
    expect(revokeLoginSession(revoked, minutes(10))).to.equal(revoked);
  });
});
