import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { AccessTokenClaims, AccessTokenIssuer } from '../ports/access-token-issuer.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { RefreshTokens } from '../ports/refresh-tokens.js';

/** Every PasswordHasher adapter (argon2id in the hosts) must pass this. */
export function passwordHasherContract(name: string, makeHasher: () => Promise<PasswordHasher>): void {
  describe(`PasswordHasher contract: ${name}`, () => {
    let hasher: PasswordHasher;
    beforeEach(async () => { hasher = await makeHasher(); });

    it('verifies the password it hashed and nothing else', async () => {
      const hash = await hasher.hash('correct horse battery staple');
      expect(await hasher.verify(hash, 'correct horse battery staple')).to.equal(true);
      for (const wrong of ['correct horse battery stapl', 'Correct horse battery staple', 'correct horse battery staple ', '']) {
        expect(await hasher.verify(hash, wrong), JSON.stringify(wrong)).to.equal(false);
      }
    });

    it('never gives back the password, and salts: two hashes of one password differ and both verify', async () => {
      const plain = 'hunter2hunter2';
      const [a, b] = [await hasher.hash(plain), await hasher.hash(plain)];
      expect(a).to.not.include(plain);
      expect(a).to.not.equal(b);
      expect(await hasher.verify(a, plain)).to.equal(true);
      expect(await hasher.verify(b, plain)).to.equal(true);
    });

    it('handles any Unicode password and the longest allowed one', async () => {
      for (const plain of ['pässwörd-ünïcödé', '密码密码密码密码密码密码', '🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐', 'x'.repeat(256)]) {
        expect(await hasher.verify(await hasher.hash(plain), plain), plain).to.equal(true);
      }
    });

    it('answers false, without throwing, for a hash it cannot read', async () => {
      for (const foreign of ['', 'not-a-hash', '$argon2id$v=19$m=1,t=1,p=1$$', '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234']) {
        expect(await hasher.verify(foreign, 'whatever-password'), foreign).to.equal(false);
      }
    });
  });
}

/** What an access-token adapter gives the suite: the issuer, and a verifier that reads tokens back. */
export interface AccessTokenFixture {
  readonly issuer: AccessTokenIssuer;
  /** The claims of a valid, unaltered token, or null (a JWT verifier checking the signature from the JWKS). */
  read(token: string): Promise<AccessTokenClaims | null>;
  close?(): Promise<void>;
}

/** Every AccessTokenIssuer adapter (JWT in the hosts) must pass this. */
export function accessTokenIssuerContract(name: string, makeFixture: () => Promise<AccessTokenFixture>): void {
  describe(`AccessTokenIssuer contract: ${name}`, () => {
    let fixture: AccessTokenFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const claims = (): AccessTokenClaims => ({ userId: randomUUID(), email: 'Ada@Example.org', role: 'organizer', sessionId: randomUUID() });

    it('issues a token that carries the claims and reports the lifetime asked for', async () => {
      const wanted = claims();
      const issued = await fixture.issuer.issue(wanted, 900);
      expect(issued.token).to.be.a('string').and.not.equal('');
      expect(issued.expiresIn).to.equal(900);
      expect(await fixture.read(issued.token)).to.deep.include(wanted);
      expect((await fixture.issuer.issue(wanted, 60)).expiresIn).to.equal(60);
    });

    it('keeps users apart: each token carries its own claims', async () => {
      const [a, b] = [claims(), { ...claims(), role: 'admin' as const }];
      const [ta, tb] = [await fixture.issuer.issue(a, 900), await fixture.issuer.issue(b, 900)];
      expect(await fixture.read(ta.token)).to.deep.include(a);
      expect(await fixture.read(tb.token)).to.deep.include(b);
    });

    it('makes a token that stops being valid when altered', async () => {
      const { token } = await fixture.issuer.issue(claims(), 900);
      const middle = Math.floor(token.length / 2);
      const altered = token.slice(0, middle) + (token[middle] === 'A' ? 'B' : 'A') + token.slice(middle + 1);
      expect(await fixture.read(altered)).to.equal(null);
      expect(await fixture.read('not a token')).to.equal(null);
    });
  });
}

/** Every RefreshTokens adapter must pass this. */
export function refreshTokensContract(name: string, makeTokens: () => Promise<RefreshTokens>): void {
  describe(`RefreshTokens contract: ${name}`, () => {
    let tokens: RefreshTokens;
    beforeEach(async () => { tokens = await makeTokens(); });

    it('generates a token with its hash, and hash(token) gives that hash again, every time', () => {
      const { token, hash } = tokens.generate();
      expect(hash).to.not.equal(token);
      expect(hash).to.not.include(token);
      expect(tokens.hash(token)).to.equal(hash);
      expect(tokens.hash(token)).to.equal(tokens.hash(token));
    });

    it('never repeats a token or a hash', () => {
      const generated = Array.from({ length: 200 }, () => tokens.generate());
      expect(new Set(generated.map((g) => g.token)).size).to.equal(200);
      expect(new Set(generated.map((g) => g.hash)).size).to.equal(200);
    });

    it('makes URL-safe tokens long enough to carry 128 bits', () => {
      for (let i = 0; i < 20; i++) {
        const { token } = tokens.generate();
        expect(token).to.match(/^[A-Za-z0-9_-]{22,}$/);
      }
    });

    it('hashes different tokens differently, including tokens it did not generate', () => {
      const { token } = tokens.generate();
      const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      expect(tokens.hash(altered)).to.not.equal(tokens.hash(token));
      expect(tokens.hash('anything')).to.be.a('string').and.not.equal('anything');
    });
  });
}
