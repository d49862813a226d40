import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createLogger, routesOf, undocumentedRoutes } from '@conference/http-kit';
import { createTestTokens, requestTo, type TestTokens } from '@conference/http-kit/testing';
import { FixedClock } from '@conference/kernel/testing';
import { ListAuditEntries, RecordAudit } from '@conference/notifications';
import { InMemoryNotificationStore, aMessage } from '@conference/notifications/testing';
import { createNotifierApp } from './notifier-app.js';

const silent = createLogger('notifier', { level: 'silent' });
const PROBLEM_JSON = /^application\/problem\+json/;
const admin = { userId: '0a5e0000-0000-4000-9000-000000000001', role: 'admin' as const };
const organizer = { userId: '0a5e0000-0000-4000-9000-000000000002', role: 'organizer' as const };
const attendee = { userId: '0a5e0000-0000-4000-9000-000000000003', role: 'attendee' as const };

describe('notifier HTTP GET /api/audit', () => {
  let tokens: TestTokens;
  let store: InMemoryNotificationStore;
  let app: ReturnType<typeof createNotifierApp>;
  const request = () => requestTo(app.app);

  /** Five messages a minute apart; correlation ids alternate even/odd; the last is of another type. */
  const fill = async () => {
    const audit = new RecordAudit(store.audit, new FixedClock('2027-01-10T10:00:00.000Z'));
    for (let i = 0; i < 5; i++) {
      const type = i === 4 ? 'event.cancelled' : 'user.registered';
      const data = type === 'user.registered'
        ? { userId: `0a5e0000-0000-4000-9000-00000000010${i}`, email: `u${i}@example.org`, name: `U${i}` }
        : { eventId: '6f1c0000-0000-4000-8000-000000000001', title: 'Summit', organizerId: organizer.userId, startsAt: '2027-02-01T09:00:00.000Z', endsAt: '2027-02-01T17:00:00.000Z', venue: 'Hall', recipients: [] };
      const recorded = await audit.execute(aMessage(type as 'user.registered', data as never, {
        correlationId: i % 2 === 0 ? 'even' : 'odd',
        occurredAt: new Date(Date.UTC(2027, 0, 10, 9, i)).toISOString(),
      }));
      if (!recorded.ok) throw recorded.error;
    }
  };

  beforeEach(async () => {
    tokens = await createTestTokens();
    store = new InMemoryNotificationStore();
    app = createNotifierApp({ listAuditEntries: new ListAuditEntries(store.audit), verifier: tokens.verifier, defaultMetrics: false, logger: silent });
    await fill();
  });

  it('200 for an admin: newest first, keyset pages, every entry once', async () => {
    const auth = await tokens.bearer(admin);
    const positions: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { headers: Record<string, string>; body: { items: { position: number }[]; nextCursor: string | null } } =
        await request().get('/api/audit').query(cursor ? { limit: '2', cursor } : { limit: '2' }).set('Authorization', auth).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      positions.push(...res.body.items.map((e) => e.position));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(positions).to.deep.equal([5, 4, 3, 2, 1]);
    const one = (await request().get('/api/audit?limit=1').set('Authorization', auth)).body.items[0];
    expect(one).to.include({ position: 5, type: 'event.cancelled', correlationId: 'even', occurredAt: '2027-01-10T09:04:00.000Z', receivedAt: '2027-01-10T10:00:00.000Z' });
    expect(Object.keys(one).sort()).to.deep.equal(['causationId', 'correlationId', 'data', 'messageId', 'occurredAt', 'position', 'receivedAt', 'source', 'type']);
  });

  it('filters by type, correlation id and [from, to)', async () => {
    const auth = await tokens.bearer(admin);
    const positions = async (query: string) =>
      (await request().get(`/api/audit?${query}`).set('Authorization', auth).expect(200)).body.items.map((e: { position: number }) => e.position);
    expect(await positions('type=event.cancelled')).to.deep.equal([5]);
    expect(await positions('correlationId=odd')).to.deep.equal([4, 2]);
    expect(await positions('from=2027-01-10T09:01:00Z&to=2027-01-10T09:03:00Z')).to.deep.equal([3, 2]);
    expect(await positions('type=user.registered&correlationId=even&from=2027-01-10T09:01:00Z')).to.deep.equal([3]);
    expect(await positions('type=enrollment.confirmed')).to.deep.equal([]);
  });

  it('401 without a token, with a tampered one, with an expired one', async () => {
    const missing = await request().get('/api/audit').expect(401);
    expect(missing.body.code).to.equal('AUTH.TOKEN_MISSING');
    const token = await tokens.tokenFor(attendee);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect((await request().get('/api/audit').set('Authorization', `Bearer ${header}.${forged}.${signature}`).expect(401)).body.code).to.equal('AUTH.TOKEN_INVALID');
    expect((await request().get('/api/audit').set('Authorization', `Bearer ${await tokens.expiredToken(admin)}`).expect(401)).body.code).to.equal('AUTH.TOKEN_EXPIRED');
  });

  it('403 for anyone but an admin', async () => {
    for (const who of [organizer, attendee]) {
      const res = await request().get('/api/audit').set('Authorization', await tokens.bearer(who)).expect(403);
      expect(res.headers['content-type']).to.match(PROBLEM_JSON);
      expect(res.body).to.include({ status: 403, code: 'AUDIT.FORBIDDEN' });
      expect(res.body).not.to.have.property('items');
    }
  });

  it('400 with the path of each bad filter', async () => {
    const auth = await tokens.bearer(admin);
    for (const [query, path, code] of [
      ['from=yesterday', 'from', 'REQUEST.INVALID_QUERY'],
      ['to=2027-01-10', 'to', 'REQUEST.INVALID_QUERY'],
      ['limit=0', 'limit', 'REQUEST.INVALID_QUERY'],
      ['limit=many', 'limit', 'REQUEST.INVALID_QUERY'],
      ['type=', 'type', 'REQUEST.INVALID_QUERY'],
      [`correlationId=${'x'.repeat(129)}`, 'correlationId', 'REQUEST.INVALID_QUERY'],
      ['type=a&type=b', 'type', 'REQUEST.INVALID_QUERY'],
      ['source=user-service', 'source', 'REQUEST.INVALID_QUERY'],
      ['cursor=forged', 'cursor', 'PAGINATION.INVALID_CURSOR'],
      ['from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z', 'to', 'AUDIT.INVALID_RANGE'],
    ] as const) {
      const res = await request().get(`/api/audit?${query}`).set('Authorization', auth);
      expect(res.status, query).to.equal(400);
      expect(res.headers['content-type']).to.match(PROBLEM_JSON);
      expect(res.body.code, query).to.equal(code);
      expect(res.body.errors.map((e: { path: string }) => e.path), query).to.deep.equal([path]);
    }
  });

  it('serves /health, /ready (with its checks) and /metrics', async () => {
    await request().get('/health').expect(200, { status: 'ok' });
    await request().get('/metrics').expect(200).expect('content-type', /text\/plain/);
    const checked = createNotifierApp({
      listAuditEntries: new ListAuditEntries(store.audit), verifier: tokens.verifier, defaultMetrics: false, logger: silent,
      readinessChecks: [{ name: 'database', run: async () => 1 }, { name: 'broker', run: async () => { throw new Error('not connected'); } }],
    });
    const ready = await requestTo(checked.app).get('/ready').expect(503);
    expect(ready.body.status).to.equal('unavailable');
    expect(ready.body.checks.database.status).to.equal('up');
    expect(ready.body.checks.broker).to.include({ status: 'down', error: 'not connected' });
  });

  it('documents every route in a valid OpenAPI 3.1 document', async () => {
    const doc = (await request().get('/openapi.json').expect(200)).body;
    const result = await new Validator().validate(doc);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    expect(undocumentedRoutes(app.api.router, app.api.document.toJSON())).to.deep.equal([]);
    expect(routesOf(app.api.router).map((r) => `${r.method} ${r.path}`)).to.have.members(['GET /health', 'GET /ready', 'GET /metrics', 'GET /openapi.json', 'GET /api/audit']);
    expect(JSON.stringify(doc)).not.to.contain('not described');
  });
});
