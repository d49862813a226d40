import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { JwtVerifier } from '@conference/http-kit';
import { PASSWORD, userServiceUnderTest, type UserServiceUnderTest } from './http-test-kit.js';
import { AuthTokensViewCodec, JwksCodec, LoginSessionPageCodec, UserViewCodec } from './views.js';

const PROBLEM = /^application\/problem\+json/;

/** The decoded response matches the documented shape (so the OpenAPI schemas cannot drift from the views). */
function conforms(codec: { is: (u: unknown) => boolean; decode: (u: unknown) => { _tag: string } }, body: unknown): void {
  expect(codec.decode(body)._tag, JSON.stringify(body)).to.equal('Right');
}

describe('user service /api/auth', () => {
  let svc: UserServiceUnderTest;
  beforeEach(async () => { svc = await userServiceUnderTest(); });

  describe('POST /api/auth/register', () => {
    it('201 with the account, Location and ETag; the password is not in the answer', async () => {
      const res = await svc.request().post('/api/auth/register').send({ email: 'Ada@Example.org', password: PASSWORD, name: 'Ada Lovelace' }).expect(201);
      conforms(UserViewCodec, res.body);
      expect(res.body).to.include({ email: 'Ada@Example.org', name: 'Ada Lovelace', role: 'attendee', version: 1 });
      expect(res.headers['location']).to.equal(`/api/users/${res.body.id}`);
      expect(res.headers['etag']).to.equal('"1"');
      expect(JSON.stringify(res.body)).not.to.include(PASSWORD);
      expect(svc.store.pending().map((m) => m.envelope.type)).to.deep.equal(['user.registered']);
    });

    it('400 naming each invalid field, and unknown fields', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 'not-an-email', password: PASSWORD, name: 'Ada' }, 'email'],
        [{ email: 'ada@example.org', password: 'short', name: 'Ada' }, 'password'],
        [{ email: 'ada@example.org', password: PASSWORD, name: '' }, 'name'],
        [{ email: 'ada@example.org', password: PASSWORD }, 'name'],
        [{ email: 'ada@example.org', password: PASSWORD, name: 'Ada', role: 'admin' }, 'role'],
      ];
      for (const [body, path] of cases) {
        const res = await svc.request().post('/api/auth/register').send(body).expect(400);
        expect(res.headers['content-type']).to.match(PROBLEM);
        expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).to.include(path);
      }
      expect(svc.store.state.users.size).to.equal(0);
    });

    it('409 for an email taken in another casing', async () => {
      await svc.register('ada@example.org');
      const res = await svc.request().post('/api/auth/register').send({ email: 'ADA@example.org', password: PASSWORD, name: 'Other' }).expect(409);
      expect(res.body.code).to.equal('USER.EMAIL_TAKEN');
    });
  });

  describe('POST /api/auth/login', () => {
    it('200 with tokens the service itself accepts, not cacheable; the session records agent and address', async () => {
      const user = await svc.register('ada@example.org');
      const res = await svc.request().post('/api/auth/login').set('User-Agent', 'TestBrowser/1').send({ email: 'ADA@example.org', password: PASSWORD }).expect(200);
      conforms(AuthTokensViewCodec, res.body);
      expect(res.body.expiresIn).to.equal(900);
      expect(res.body.user.id).to.equal(user.id);
      expect(res.headers['cache-control']).to.equal('no-store');
      await svc.request().get('/api/users/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      const [session] = [...svc.store.state.loginSessions.values()];
      expect(session).to.include({ userAgent: 'TestBrowser/1' });
      expect(session!.ip).to.match(/127\.0\.0\.1$/);
    });

    it('issues EdDSA tokens with kid, iss, aud that a verifier holding only the JWKS accepts', async () => {
      const { tokens } = await svc.attendee();
      const jwks = (await svc.request().get('/api/auth/jwks.json').expect(200)).body;
      const verifier = JwtVerifier.local(jwks, { issuer: svc.config.JWT_ISSUER, audience: svc.config.JWT_AUDIENCE });
      const verified = await verifier.verify(tokens.accessToken);
      expect(verified.actor).to.deep.equal({ userId: tokens.user.id, role: 'attendee' });
      expect(verified.email).to.equal(tokens.user.email);
    });

    it('401 AUTH.INVALID_CREDENTIALS alike for a wrong password and an unknown email', async () => {
      await svc.register('ada@example.org');
      const wrong = await svc.request().post('/api/auth/login').send({ email: 'ada@example.org', password: 'wrong password' }).expect(401);
      const unknown = await svc.request().post('/api/auth/login').send({ email: 'nobody@example.org', password: PASSWORD }).expect(401);
      expect(wrong.body.code).to.equal('AUTH.INVALID_CREDENTIALS');
      expect(unknown.body).to.deep.include({ code: wrong.body.code, detail: wrong.body.detail });
    });

    it('400 naming each invalid field', async () => {
      for (const [body, path] of [[{ email: 'x', password: PASSWORD }, 'email'], [{ email: 'ada@example.org', password: '' }, 'password'], [{ email: 'ada@example.org' }, 'password'], [{ email: 'ada@example.org', password: PASSWORD, remember: true }, 'remember']] as const) {
        const res = await svc.request().post('/api/auth/login').send(body).expect(400);
        expect(res.body.errors.map((e: { path: string }) => e.path)).to.include(path);
      }
    });

    it('429 with Retry-After after 5 failures for one account, even with the right password; other accounts unaffected', async () => {
      await svc.register('ada@example.org');
      await svc.register('grace@example.org');
      for (let i = 0; i < 5; i++) await svc.request().post('/api/auth/login').send({ email: 'ada@example.org', password: `wrong password ${i}` }).expect(401);
      const res = await svc.request().post('/api/auth/login').send({ email: 'ada@example.org', password: PASSWORD }).expect(429);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body).to.include({ status: 429, code: 'AUTH.TOO_MANY_ATTEMPTS', title: 'Too Many Requests' });
      expect(Number(res.headers['retry-after'])).to.be.within(899, 900);
      await svc.request().post('/api/auth/login').send({ email: 'grace@example.org', password: PASSWORD }).expect(200);
    });

    it('429 for every account after 20 failures from one address', async () => {
      await svc.register('ada@example.org');
      for (let i = 0; i < 20; i++) await svc.request().post('/api/auth/login').send({ email: `guess${i}@example.org`, password: PASSWORD }).expect(401);
      await svc.request().post('/api/auth/login').send({ email: 'ada@example.org', password: PASSWORD }).expect(429);
    });

    it('with TRUST_PROXY, throttles the address the gateway appended, not one the client made up', async () => {
      svc = await userServiceUnderTest({ TRUST_PROXY: 'true', LOGIN_MAX_FAILURES_PER_ADDRESS: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' });
      await svc.register('ada@example.org');
      // The client forges a new leftmost address each time; nginx appends the real one (203.0.113.5).
      for (let i = 0; i < 3; i++) {
        await svc.request().post('/api/auth/login').set('X-Forwarded-For', `198.51.100.${i}, 203.0.113.5`).send({ email: `guess${i}@example.org`, password: PASSWORD }).expect(401);
      }
      await svc.request().post('/api/auth/login').set('X-Forwarded-For', '198.51.100.99, 203.0.113.5').send({ email: 'ada@example.org', password: PASSWORD }).expect(429);
      const other = await svc.request().post('/api/auth/login').set('X-Forwarded-For', '203.0.113.6').send({ email: 'ada@example.org', password: PASSWORD }).expect(200);
      expect([...svc.store.state.loginSessions.values()].find((s) => s.id)?.ip).to.equal('203.0.113.6');
      expect(other.body.user.email).to.equal('ada@example.org');
    });
  });

  describe('POST /api/auth/refresh', () => {
    it('200 with rotated tokens; the old refresh token then revokes the session (401 AUTH.REFRESH_TOKEN_REUSED)', async () => {
      const { tokens } = await svc.attendee();
      const first = await svc.request().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(200);
      conforms(AuthTokensViewCodec, first.body);
      expect(first.body.refreshToken).not.to.equal(tokens.refreshToken);
      expect(first.headers['cache-control']).to.equal('no-store');
      const reused = await svc.request().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
      expect(reused.body.code).to.equal('AUTH.REFRESH_TOKEN_REUSED');
      const after = await svc.request().post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
      expect(after.body.code).to.equal('AUTH.LOGIN_SESSION_REVOKED');
    });

    it('401 for an unknown token; 400 naming refreshToken when it is missing or not a string', async () => {
      expect((await svc.request().post('/api/auth/refresh').send({ refreshToken: 'no-such-token' }).expect(401)).body.code).to.equal('AUTH.INVALID_REFRESH_TOKEN');
      for (const body of [{}, { refreshToken: 42 }, { refreshToken: 'x'.repeat(600) }]) {
        const res = await svc.request().post('/api/auth/refresh').send(body).expect(400);
        expect(res.body.errors[0].path).to.equal('refreshToken');
      }
    });
  });

  describe('POST /api/auth/logout', () => {
    it('204 and the refresh token stops working; again 204 (idempotent)', async () => {
      const { tokens } = await svc.attendee();
      await svc.request().post('/api/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
      await svc.request().post('/api/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
      expect((await svc.request().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401)).body.code).to.equal('AUTH.LOGIN_SESSION_REVOKED');
    });

    it('400 naming refreshToken, and unknown fields', async () => {
      expect((await svc.request().post('/api/auth/logout').send({ token: 'x' }).expect(400)).body.errors.map((e: { path: string }) => e.path)).to.have.members(['token']);
      expect((await svc.request().post('/api/auth/logout').send({ refreshToken: null }).expect(400)).body.errors[0].path).to.equal('refreshToken');
    });
  });

  describe('GET /api/auth/sessions', () => {
    it('200 with my active sessions only, the current one marked', async () => {
      const { user, auth } = await svc.attendee();
      const second = await svc.login(user.email);
      await svc.attendee('Someone else');
      const res = await svc.request().get('/api/auth/sessions').set('Authorization', auth).expect(200);
      conforms(LoginSessionPageCodec, res.body);
      expect(res.body.items).to.have.length(2);
      expect(res.body.nextCursor).to.equal(null);
      expect(res.body.items.filter((s: { current: boolean }) => s.current)).to.have.length(1);
      const mine = await svc.request().get('/api/auth/sessions').set('Authorization', `Bearer ${second.accessToken}`).expect(200);
      expect(mine.body.items.find((s: { current: boolean }) => s.current).id).not.to.equal(res.body.items.find((s: { current: boolean }) => s.current).id);
    });
  });

  describe('DELETE /api/auth/sessions/:id', () => {
    it('204: my session ends and its refresh token stops working', async () => {
      const { tokens, auth } = await svc.attendee();
      const [session] = (await svc.request().get('/api/auth/sessions').set('Authorization', auth).expect(200)).body.items;
      await svc.request().delete(`/api/auth/sessions/${session.id}`).set('Authorization', auth).expect(204);
      await svc.request().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
      expect((await svc.request().get('/api/auth/sessions').set('Authorization', auth).expect(200)).body.items).to.deep.equal([]);
    });

    it('403 for another user\'s session (admins too), which stays usable', async () => {
      const victim = await svc.attendee('Victim');
      const [session] = (await svc.request().get('/api/auth/sessions').set('Authorization', victim.auth).expect(200)).body.items;
      const intruder = await svc.attendee('Intruder');
      const admin = await svc.admin();
      for (const auth of [intruder.auth, admin.auth]) {
        const res = await svc.request().delete(`/api/auth/sessions/${session.id}`).set('Authorization', auth).expect(403);
        expect(res.body.code).to.equal('AUTH.NOT_YOUR_SESSION');
      }
      await svc.request().post('/api/auth/refresh').send({ refreshToken: victim.tokens.refreshToken }).expect(200);
    });

    it('404 for a session that does not exist; 400 naming id for a malformed one', async () => {
      const { auth } = await svc.attendee();
      expect((await svc.request().delete(`/api/auth/sessions/${randomUUID()}`).set('Authorization', auth).expect(404)).body.code).to.equal('AUTH.LOGIN_SESSION_NOT_FOUND');
      expect((await svc.request().delete('/api/auth/sessions/not-a-uuid').set('Authorization', auth).expect(400)).body.errors[0].path).to.equal('id');
    });
  });

  describe('GET /api/auth/jwks.json', () => {
    it('200 with the public key only, cacheable for JWKS_MAX_AGE', async () => {
      const res = await svc.request().get('/api/auth/jwks.json').expect(200);
      conforms(JwksCodec, res.body);
      expect(res.body.keys).to.have.length(1);
      expect(res.body.keys[0]).not.to.have.property('d');
      expect(res.headers['cache-control']).to.equal('public, max-age=300');
    });

    it('publishes the previous keys of a rotation, whose tokens stay valid here', async () => {
      const old = await userServiceUnderTest();
      const { tokens } = await old.attendee();
      const rotated = await userServiceUnderTest({ JWT_PREVIOUS_KEYS: JSON.stringify([JSON.parse(old.config.JWT_PRIVATE_KEY!)]), JWKS_MAX_AGE: '60s' });
      const res = await rotated.request().get('/api/auth/jwks.json').expect(200);
      expect(res.body.keys).to.have.length(2);
      expect(res.headers['cache-control']).to.equal('public, max-age=60');
      // The account does not exist in the new process's memory, but the token is accepted: 404, not 401.
      expect((await rotated.request().get('/api/users/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(404)).body.code).to.equal('USER.NOT_FOUND');
    });
  });
});
