import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTestTokens, sendRaw } from '@conference/http-kit/testing';
import { routesOf } from '@conference/http-kit';
import { tampered, userServiceUnderTest, type UserServiceUnderTest } from './http-test-kit.js';

type Verb = 'get' | 'post' | 'patch' | 'delete';
interface RouteCase { readonly method: Verb; readonly path: string; readonly auth: boolean; readonly body?: Record<string, unknown> }

const SOME_ID = randomUUID();
/** Every route of the service, with a concrete path and a valid body where it takes one. */
const ROUTES: readonly RouteCase[] = [
  { method: 'post', path: '/api/auth/register', auth: false, body: { email: 'guard@example.org', password: 'correct horse battery', name: 'Guard' } },
  { method: 'post', path: '/api/auth/login', auth: false, body: { email: 'guard@example.org', password: 'correct horse battery' } },
  { method: 'post', path: '/api/auth/refresh', auth: false, body: { refreshToken: 'some-token' } },
  { method: 'post', path: '/api/auth/logout', auth: false, body: { refreshToken: 'some-token' } },
  { method: 'get', path: '/api/auth/sessions', auth: true },
  { method: 'delete', path: `/api/auth/sessions/${SOME_ID}`, auth: true },
  { method: 'get', path: '/api/auth/jwks.json', auth: false },
  { method: 'get', path: '/api/users/me', auth: true },
  { method: 'patch', path: '/api/users/me', auth: true, body: { name: 'New name', version: 1 } },
  { method: 'get', path: '/api/users', auth: true },
  { method: 'get', path: `/api/users/${SOME_ID}`, auth: true },
  { method: 'patch', path: `/api/users/${SOME_ID}/role`, auth: true, body: { role: 'organizer' } },
  { method: 'post', path: '/api/users/me/enrollments', auth: true, body: { eventId: SOME_ID } },
  { method: 'delete', path: `/api/users/me/enrollments/${SOME_ID}`, auth: true },
];

const PROBLEM = /^application\/problem\+json/;

describe('user service: what every route refuses', () => {
  let svc: UserServiceUnderTest;
  let member: Awaited<ReturnType<UserServiceUnderTest['attendee']>>;
  before(async () => {
    svc = await userServiceUnderTest();
    member = await svc.attendee('Member');
  });

  const call = (route: RouteCase) => svc.request()[route.method](route.path);

  it('the table above is every /api route the service mounts', () => {
    const mounted = routesOf(svc.http.api.router).filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path.replace(/:[a-zA-Z]+/g, ':p')}`);
    const listed = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path.replace(SOME_ID, ':p')}`);
    expect([...listed].sort()).to.deep.equal([...mounted].sort());
  });

  for (const route of ROUTES.filter((r) => r.auth)) {
    describe(`${route.method.toUpperCase()} ${route.path.replace(SOME_ID, ':id')}`, () => {
      it('401 AUTH.TOKEN_MISSING without a token', async () => {
        const res = await call(route).send(route.body).expect(401);
        expect(res.headers['content-type']).to.match(PROBLEM);
        expect(res.body.code).to.equal('AUTH.TOKEN_MISSING');
        expect(res.headers['www-authenticate']).to.equal('Bearer');
      });

      it('401 AUTH.TOKEN_INVALID with a tampered token (role changed, signature kept)', async () => {
        const res = await call(route).set('Authorization', `Bearer ${tampered(member.tokens.accessToken)}`).send(route.body).expect(401);
        expect(res.body.code).to.equal('AUTH.TOKEN_INVALID');
        expect(res.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
      });

      it('401 AUTH.TOKEN_INVALID with a token signed by a key that is not ours', async () => {
        const stranger = await createTestTokens({ issuer: svc.config.JWT_ISSUER, audience: svc.config.JWT_AUDIENCE });
        const res = await call(route).set('Authorization', await stranger.bearer({ userId: member.user.id, role: 'admin' })).send(route.body).expect(401);
        expect(res.body.code).to.equal('AUTH.TOKEN_INVALID');
      });

      it('401 AUTH.TOKEN_EXPIRED with an expired token', async () => {
        const res = await call(route).set('Authorization', `Bearer ${await svc.expiredToken(member.user.id)}`).send(route.body).expect(401);
        expect(res.body.code).to.equal('AUTH.TOKEN_EXPIRED');
      });
    });
  }

  for (const route of ROUTES.filter((r) => r.body)) {
    describe(`${route.method.toUpperCase()} ${route.path.replace(SOME_ID, ':id')} body rules`, () => {
      it('413 for a body beyond the limit, 415 for a non-JSON body, 400 for a missing one; nothing written', async () => {
        const before = svc.snapshot();
        const authed = (test: ReturnType<typeof call>) => (route.auth ? test.set('Authorization', member.auth) : test);
        const huge = { ...route.body, padding: 'x'.repeat(70 * 1024) };
        const tooLarge = await authed(call(route)).send(huge).expect(413);
        expect(tooLarge.headers['content-type']).to.match(PROBLEM);
        expect(tooLarge.body.code).to.equal('REQUEST.TOO_LARGE');
        const notJson = await sendRaw(authed(call(route)), 'email=a&password=b', 'application/x-www-form-urlencoded').expect(415);
        expect(notJson.body.code).to.equal('REQUEST.UNSUPPORTED_MEDIA_TYPE');
        await sendRaw(authed(call(route)), JSON.stringify(route.body), 'text/plain').expect(415);
        const missing = await authed(call(route)).expect(400);
        expect(missing.body.code).to.equal('REQUEST.BODY_REQUIRED');
        expect(svc.snapshot()).to.equal(before);
      });
    });
  }

  it('404 problem for a path no route serves, 405 with Allow for a method a path does not take', async () => {
    const missing = await svc.request().get('/api/users/me/nothing-here').set('Authorization', member.auth).expect(404);
    expect(missing.headers['content-type']).to.match(PROBLEM);
    const wrongMethod = await svc.request().put('/api/users/me').set('Authorization', member.auth).send({}).expect(405);
    expect(wrongMethod.headers['allow']).to.include('PATCH');
  });

  it('answers with security headers and the request id on every response', async () => {
    const res = await svc.request().get('/api/auth/jwks.json').set('X-Request-Id', 'trace-me-1').expect(200);
    expect(res.headers['x-request-id']).to.equal('trace-me-1');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    const line = svc.logs.find((l) => l['requestId'] === 'trace-me-1' && l['msg'] === 'request');
    expect(line).to.include({ route: '/api/auth/jwks.json', status: 200 });
  });

  it('/health, /ready and /metrics answer in the memory profile', async () => {
    expect((await svc.request().get('/health').expect(200)).body).to.deep.equal({ status: 'ok' });
    expect((await svc.request().get('/ready').expect(200)).body.status).to.equal('ready');
    expect((await svc.request().get('/metrics').expect(200)).text).to.include('http_requests_total');
  });
});
