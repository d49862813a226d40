import { expect } from 'chai';
import { sendRaw } from '@conference/http-kit/testing';
import { PROBLEM, SAMPLE_EVENT, routeTestKit, type RouteTestKit } from './route-test-kit.js';

/**
 * The failure statuses every route of /api/events must answer (the Must-show list), table
 * driven so that a route added without its row is noticed by the coverage check at the end. Each
 * failure is also checked to write nothing.
 */

interface Fixture {
  readonly eventId: string;
  readonly sessionId: string;
}

interface RouteCase {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** Koa path as registered. */
  readonly template: string;
  readonly auth: 'required' | 'optional';
  /** A valid body (routes that take one). */
  readonly body?: Record<string, unknown>;
  /** A body with every field wrong, and the paths the 400 must name (unknown fields are refused before fields are checked, so they have a test of their own). */
  readonly invalidBody?: { readonly body: Record<string, unknown>; readonly paths: readonly string[] };
  /** A query with bad parameters, and the paths the 400 must name. */
  readonly invalidQuery?: { readonly query: string; readonly paths: readonly string[] };
  /** Only the event's organizer (or an admin): another organizer gets 403. */
  readonly ownerOnly: boolean;
}

const UNKNOWN_ID = '0e7c2f55-9d4b-4a3c-8a41-1b2c3d4e5f60';

const ROUTES: readonly RouteCase[] = [
  { method: 'get', template: '/api/events', auth: 'optional', ownerOnly: false, invalidQuery: { query: 'limit=abc&from=2027-13-01&q=', paths: ['limit', 'from', 'q'] } },
  {
    method: 'post', template: '/api/events', auth: 'required', ownerOnly: false, body: SAMPLE_EVENT,
    invalidBody: { body: { title: '', description: 7, venue: 5, startsAt: 'tomorrow', endsAt: null, capacity: 0 }, paths: ['title', 'description', 'venue', 'startsAt', 'endsAt', 'capacity'] },
  },
  { method: 'get', template: '/api/events/:id', auth: 'optional', ownerOnly: false },
  {
    method: 'patch', template: '/api/events/:id', auth: 'required', ownerOnly: true, body: { title: 'Renamed' },
    invalidBody: { body: { title: 'x'.repeat(500), capacity: -1, endsAt: 'soon', version: 0 }, paths: ['title', 'capacity', 'endsAt', 'version'] },
  },
  { method: 'delete', template: '/api/events/:id', auth: 'required', ownerOnly: true },
  {
    method: 'post', template: '/api/events/:id/publish', auth: 'required', ownerOnly: true, body: {},
    invalidBody: { body: { version: 'one' }, paths: ['version'] },
  },
  {
    method: 'post', template: '/api/events/:id/cancel', auth: 'required', ownerOnly: true, body: {},
    invalidBody: { body: { version: 1.5 }, paths: ['version'] },
  },
  { method: 'get', template: '/api/events/:id/enrollments', auth: 'required', ownerOnly: true, invalidQuery: { query: 'status=maybe&limit=1000', paths: ['status', 'limit'] } },
  { method: 'get', template: '/api/events/:id/enrollments/me', auth: 'required', ownerOnly: false },
  {
    method: 'post', template: '/api/events/:id/sessions', auth: 'required', ownerOnly: true, body: { sessionId: UNKNOWN_ID },
    invalidBody: { body: { sessionId: 'session-1' }, paths: ['sessionId'] },
  },
  { method: 'delete', template: '/api/events/:id/sessions/:sessionId', auth: 'required', ownerOnly: true },
  { method: 'get', template: '/api/events/:id/schedule', auth: 'optional', ownerOnly: false },
  { method: 'get', template: '/api/events/:id/schedule.ics', auth: 'optional', ownerOnly: false },
];

const pathOf = (route: RouteCase, ids: { eventId: string; sessionId: string }) =>
  route.template.replace(':id', ids.eventId).replace(':sessionId', ids.sessionId);

describe('event service HTTP: every route answers its failures as problems and writes nothing', () => {
  let kit: RouteTestKit;
  let fixture: Fixture;

  beforeEach(async () => {
    kit = await routeTestKit();
    const event = await kit.published();
    const session = kit.session();
    await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', await kit.bearer(kit.organizer)).send({ sessionId: session.sessionId }).expect(201);
    fixture = { eventId: event.id, sessionId: session.sessionId };
  });

  const send = (route: RouteCase, path: string, options: { auth?: string; body?: unknown } = {}) => {
    const req = kit.request()[route.method](path);
    if (options.auth) req.set('Authorization', options.auth);
    return options.body === undefined ? req : req.send(options.body as object);
  };

  /** Answers `status` as a problem with `code`, and the store is as it was. */
  const expectProblem = async (request: PromiseLike<{ status: number; headers: Record<string, string>; body: { code?: string } }>, status: number, code?: string) => {
    const before = kit.fingerprint();
    const res = await request;
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body).to.include({ status });
    if (code) expect(res.body.code).to.equal(code);
    expect(kit.fingerprint(), 'nothing written').to.equal(before);
    return res;
  };

  for (const route of ROUTES) {
    const name = `${route.method.toUpperCase()} ${route.template}`;
    describe(name, () => {
      if (route.auth === 'required') {
        it('401 without a token', async () => {
          const res = await expectProblem(send(route, pathOf(route, fixture), { body: route.body }), 401, 'AUTH.TOKEN_MISSING');
          expect(res.headers['www-authenticate']).to.equal('Bearer');
        });
      } else {
        it('anonymous visitors are served (200)', async () => {
          await send(route, pathOf(route, fixture)).expect(200);
        });
      }

      it('401 with a tampered token (payload changed, signature kept)', async () => {
        const token = await kit.tokens.tokenFor(kit.organizer);
        const [header, payload, signature] = token.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
        const res = await expectProblem(send(route, pathOf(route, fixture), { auth: `Bearer ${header}.${forged}.${signature}`, body: route.body }), 401, 'AUTH.TOKEN_INVALID');
        expect(res.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
      });

      it('401 with an expired token', async () => {
        await expectProblem(send(route, pathOf(route, fixture), { auth: `Bearer ${await kit.tokens.expiredToken(kit.organizer)}`, body: route.body }), 401, 'AUTH.TOKEN_EXPIRED');
      });

      if (route.ownerOnly) {
        it('403 for another organizer\'s event', async () => {
          await expectProblem(send(route, pathOf(route, fixture), { auth: await kit.bearer(kit.otherOrganizer), body: route.body }), 403, 'EVENT.FORBIDDEN');
        });
      }

      if (route.template.includes(':id')) {
        it('404 for an event that does not exist', async () => {
          const auth = await kit.bearer(kit.admin);
          await expectProblem(send(route, pathOf(route, { ...fixture, eventId: UNKNOWN_ID }), { auth, body: route.body }), 404, 'EVENT.NOT_FOUND');
        });

        it('400 naming the path parameter that is not a UUID', async () => {
          const res = await expectProblem(send(route, pathOf(route, { ...fixture, eventId: 'not-an-id' }), { auth: await kit.bearer(kit.organizer), body: route.body }), 400, 'REQUEST.INVALID_PARAMS');
          expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).to.deep.equal(['id']);
          if (route.template.includes(':sessionId')) {
            const bad = await expectProblem(send(route, pathOf(route, { ...fixture, sessionId: '42' }), { auth: await kit.bearer(kit.organizer) }), 400);
            expect((bad.body as { errors: { path: string }[] }).errors.map((e) => e.path)).to.deep.equal(['sessionId']);
          }
        });
      }

      if (route.invalidQuery) {
        const { query, paths } = route.invalidQuery;
        it(`400 naming each bad query parameter (${paths.join(', ')})`, async () => {
          const res = await expectProblem(send(route, `${pathOf(route, fixture)}?${query}`, { auth: await kit.bearer(kit.organizer) }), 400, 'REQUEST.INVALID_QUERY');
          expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).to.have.members([...paths]);
        });
      }

      if (route.invalidBody) {
        const { body, paths } = route.invalidBody;
        it(`400 naming each invalid field (${paths.join(', ')})`, async () => {
          const res = await expectProblem(send(route, pathOf(route, fixture), { auth: await kit.bearer(kit.organizer), body }), 400, 'REQUEST.INVALID_BODY');
          expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).to.have.members([...paths]);
        });

        it('400 naming each unknown field (unknown fields are refused, not ignored)', async () => {
          const res = await expectProblem(send(route, pathOf(route, fixture), { auth: await kit.bearer(kit.organizer), body: { ...route.body, colour: 'red', organizerId: UNKNOWN_ID } }), 400, 'REQUEST.INVALID_BODY');
          expect((res.body as { errors: { path: string; message: string }[] }).errors).to.deep.equal([
            { path: 'colour', message: 'is not a known field' },
            { path: 'organizerId', message: 'is not a known field' },
          ]);
        });

        it('413 for a body beyond the limit', async () => {
          const huge = { ...route.body, padding: 'x'.repeat(70 * 1024) };
          await expectProblem(send(route, pathOf(route, fixture), { auth: await kit.bearer(kit.organizer), body: huge }), 413, 'REQUEST.TOO_LARGE');
        });

        it('415 for a body that is not JSON', async () => {
          const res = await expectProblem(
            sendRaw(kit.request()[route.method](pathOf(route, fixture)).set('Authorization', await kit.bearer(kit.organizer)), 'title=Summit', 'application/x-www-form-urlencoded'),
            415,
            'REQUEST.UNSUPPORTED_MEDIA_TYPE',
          );
          expect(res.headers['accept-post'] ?? res.headers['accept-patch']).to.equal('application/json');
        });
      }
    });
  }

  describe('409 on a stale version (If-Match), for every route that changes an event', () => {
    const stale = async (method: 'patch' | 'post' | 'delete', path: (id: string) => string, make: () => Promise<{ id: string }>, body?: object) => {
      const event = await make();
      const req = kit.request()[method](path(event.id)).set('Authorization', await kit.bearer(kit.organizer)).set('If-Match', '"9"');
      await expectProblem(body ? req.send(body) : req, 409, 'EVENT.STALE_VERSION');
    };
    it('PATCH /api/events/:id', () => stale('patch', (id) => `/api/events/${id}`, () => kit.draft(), { title: 'x' }));
    it('DELETE /api/events/:id', () => stale('delete', (id) => `/api/events/${id}`, () => kit.draft()));
    it('POST /api/events/:id/publish', () => stale('post', (id) => `/api/events/${id}/publish`, () => kit.draft()));
    it('POST /api/events/:id/cancel', () => stale('post', (id) => `/api/events/${id}/cancel`, () => kit.published()));
    it('a body version that is stale is a 409 too', async () => {
      const event = await kit.published();
      await expectProblem(kit.request().post(`/api/events/${event.id}/cancel`).set('Authorization', await kit.bearer(kit.organizer)).send({ version: 1 }), 409, 'EVENT.STALE_VERSION');
    });
  });

  it('another organizer\'s draft is not even visible: 404, so its existence does not leak', async () => {
    const draft = await kit.draft({}, kit.organizer);
    await expectProblem(kit.request().patch(`/api/events/${draft.id}`).set('Authorization', await kit.bearer(kit.otherOrganizer)).send({ title: 'Mine now' }), 404, 'EVENT.NOT_FOUND');
  });

  it('the table covers every route the API serves', () => {
    const served = kit.http.api.router.stack
      .filter((layer) => typeof layer.path === 'string' && layer.path.startsWith('/api/events'))
      .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path}`));
    expect(served.sort()).to.deep.equal(ROUTES.map((r) => `${r.method.toUpperCase()} ${r.template}`).sort());
  });
});
