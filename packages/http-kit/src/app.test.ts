import { expect } from 'chai';
import { runWithRequestId } from './request-id.js';
import { requestTo, sendRaw } from './testing/request.js';
import { malformedBodies } from './testing/malformed-bodies.js';
import { demoApp, SAMPLE_TALK } from './test-support.js';

const PROBLEM = /^application\/problem\+json/;

describe('createHttpApp', () => {
  describe('request ids', () => {
    it('echoes a sane incoming X-Request-Id', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).get('/health').set('X-Request-Id', 'gw-1234.abc:5');
      expect(res.headers['x-request-id']).to.equal('gw-1234.abc:5');
    });

    it('replaces a missing, too long or unsafe request id with a UUID', async () => {
      const { app } = demoApp();
      for (const bad of [undefined, 'x'.repeat(129), 'two words', 'quote"d', 'line\tbreak']) {
        const req = requestTo(app).get('/health');
        if (bad !== undefined) req.set('X-Request-Id', bad);
        const res = await req;
        expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/, String(bad));
      }
    });

    it('is the correlation id of messages created while handling the request, across async hops', async () => {
      const demo = demoApp();
      await requestTo(demo.app).post('/talks').set('X-Request-Id', 'req-42').send(SAMPLE_TALK).expect(201);
      expect(demo.seen.correlationId).to.equal('req-42');
    });

    it('runWithRequestId gives the same correlation outside HTTP', async () => {
      const { requestCorrelation } = await import('./request-id.js');
      expect(requestCorrelation.current()).to.deep.equal({ correlationId: null, causationId: null });
      const inside = await runWithRequestId('job-1', async () => {
        await Promise.resolve();
        return requestCorrelation.current();
      });
      expect(inside).to.deep.equal({ correlationId: 'job-1', causationId: null });
    });
  });

  describe('access log', () => {
    it('writes one JSON line per request with method, route template, status, duration and request id, and no body or token', async () => {
      const demo = demoApp();
      await requestTo(demo.app).post('/talks').set('X-Request-Id', 'log-1').set('Authorization', 'Bearer secret-token').send(SAMPLE_TALK).expect(201);
      const lines = demo.logs.lines.filter((l) => l['msg'] === 'request');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.include({ method: 'POST', route: '/talks', status: 201, requestId: 'log-1', service: 'demo' });
      expect(lines[0]!['durationMs']).to.be.a('number');
      const text = JSON.stringify(demo.logs.lines);
      expect(text).not.to.contain('secret-token');
      expect(text).not.to.contain('Hexagons');
    });

    it('logs the route template, not the raw path', async () => {
      const demo = demoApp();
      await requestTo(demo.app).get('/talks/5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11').expect(200);
      expect(demo.logs.lines.find((l) => l['msg'] === 'request')).to.include({ route: '/talks/:id' });
    });

    it('logs probes and scrapes at debug and the rest at info, problems and unmatched paths with their final status', async () => {
      const demo = demoApp();
      await requestTo(demo.app).get('/health').expect(200);
      await requestTo(demo.app).get('/ready').expect(200);
      await requestTo(demo.app).get('/fail/conflict').set('X-Request-Id', 'f-1').expect(409);
      await requestTo(demo.app).get('/nowhere').expect(404);
      const lines = demo.logs.lines.filter((l) => l['msg'] === 'request');
      expect(lines.map((l) => [l['route'], l['level'], l['status']])).to.deep.equal([
        ['/health', 20, 200],
        ['/ready', 20, 200],
        ['/fail/:kind', 30, 409],
        ['(unmatched)', 30, 404],
      ]);
      expect(lines[2]).to.include({ requestId: 'f-1', method: 'GET' });
    });
  });

  describe('metrics', () => {
    it('counts requests by method, route template and status, and serves Prometheus text', async () => {
      const { app } = demoApp();
      await requestTo(app).get('/talks/5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11').expect(200);
      await requestTo(app).get('/talks/0e7c2f55-9d4b-4a3c-8a41-1b2c3d4e5f60').expect(200);
      await requestTo(app).get('/talks/not-a-uuid').expect(400);
      await requestTo(app).get('/nowhere/at/all').expect(404);
      const res = await requestTo(app).get('/metrics').expect(200);
      expect(res.headers['content-type']).to.match(/^text\/plain/);
      expect(res.text).to.contain('http_requests_total{method="GET",route="/talks/:id",status="200"} 2');
      expect(res.text).to.contain('http_requests_total{method="GET",route="/talks/:id",status="400"} 1');
      expect(res.text).to.contain('http_requests_total{method="GET",route="(unmatched)",status="404"} 1');
      expect(res.text).to.contain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/talks/:id",status="200"}');
      expect(res.text).not.to.contain('5b0f4b2e');
    });

    it('includes the default process metrics on the app registry, separate per app', async () => {
      const one = demoApp({ app: { defaultMetrics: true } });
      const two = demoApp({ app: { defaultMetrics: true } });
      await requestTo(one.app).get('/health');
      const text = await one.registry.metrics();
      expect(text).to.contain('process_cpu_user_seconds_total');
      expect(await two.registry.metrics()).not.to.contain('route="/health"');
    });
  });

  describe('security headers', () => {
    it('sets the helmet headers, on success and on problems', async () => {
      const { app } = demoApp();
      for (const path of ['/health', '/nowhere']) {
        const res = await requestTo(app).get(path);
        expect(res.headers['x-content-type-options'], path).to.equal('nosniff');
        expect(res.headers['x-frame-options'], path).to.equal('SAMEORIGIN');
        expect(res.headers['x-powered-by'], path).to.equal(undefined);
      }
    });
  });

  describe('problems', () => {
    const cases = [
      ['validation', 400],
      ['unauthorized', 401],
      ['forbidden', 403],
      ['not_found', 404],
      ['conflict', 409],
      ['unprocessable', 422],
      ['unavailable', 503],
    ] as const;
    for (const [kind, status] of cases) {
      it(`answers a ${kind} DomainError with ${status} application/problem+json`, async () => {
        const { app } = demoApp();
        const res = await requestTo(app).get(`/fail/${kind}`).set('X-Request-Id', 'p-1').expect(status);
        expect(res.headers['content-type']).to.match(PROBLEM);
        expect(res.body).to.include({ status, code: `DEMO.${kind.toUpperCase()}`, detail: `demo ${kind}`, instance: `/fail/${kind}` });
        expect(res.body.type).to.equal(`urn:conference:problem:demo.${kind}`);
        expect(res.body.title).to.be.a('string').and.not.equal('');
        expect(res.headers['etag'], 'headers of the failed handler are dropped').to.equal(undefined);
        expect(res.headers['x-request-id']).to.equal('p-1');
        if (status === 401) expect(res.headers['www-authenticate']).to.equal('Bearer');
        if (status === 503) expect(res.headers['retry-after']).to.equal('5');
        if (status === 400) expect(res.body.errors).to.deep.equal([{ path: 'capacity', message: 'must be at least 1' }]);
        else expect(res.body).not.to.have.property('errors');
      });
    }

    it('answers an unexpected error with a generic 500: no message or stack to the client, the stack in the log', async () => {
      const demo = demoApp();
      const res = await requestTo(demo.app).get('/boom').set('X-Request-Id', 'boom-1').expect(500);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body).to.include({ status: 500, code: 'INTERNAL', title: 'Internal Server Error' });
      expect(res.text).not.to.contain('hunter2');
      expect(res.text).not.to.contain('at ');
      const logged = demo.logs.lines.find((l) => l['msg'] === 'request failed unexpectedly');
      expect(logged).to.include({ requestId: 'boom-1', route: '/boom' });
      expect((logged!['err'] as { stack: string }).stack).to.contain('hunter2');
    });

    it('answers a stack overflow in a handler with a 500, and keeps serving', async () => {
      const { app } = demoApp();
      await requestTo(app).get('/stack').expect(500);
      await requestTo(app).get('/health').expect(200);
    });

    it('answers an unknown path with a 404 problem', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).get('/no/such/route').expect(404);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body).to.include({ code: 'ROUTE.NOT_FOUND', status: 404 });
    });

    it('answers a known path with another method with a 405 problem and Allow', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).delete('/talks/5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11').expect(405);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body).to.include({ code: 'ROUTE.METHOD_NOT_ALLOWED', status: 405 });
      expect(res.headers['allow']).to.equal('HEAD, GET, PATCH, OPTIONS');
    });

    it('answers OPTIONS with 204 and Allow', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).options('/talks').expect(204);
      expect(res.headers['allow']).to.equal('POST, HEAD, GET, OPTIONS');
    });
  });

  describe('request bodies', () => {
    it('decodes a valid body and answers with the status, ETag and Location of sendResult', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).post('/talks').send(SAMPLE_TALK).expect(201);
      expect(res.headers['etag']).to.equal('"1"');
      expect(res.headers['location']).to.equal('/talks/0e7c2f55-9d4b-4a3c-8a41-1b2c3d4e5f60');
      expect(res.body).to.include({ title: 'Hexagons in practice', startsAt: '2026-05-01T09:00:00.000Z' });
    });

    it('answers 400 with the path of every bad field', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).post('/talks').send({ ...SAMPLE_TALK, capacity: 0, speakerIds: ['5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11', 'nope'], extra: 1 }).expect(400);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body.code).to.equal('REQUEST.INVALID_BODY');
      expect(res.body.errors).to.deep.include.members([
        { path: 'extra', message: 'is not a known field' },
      ]);
      const again = await requestTo(app).post('/talks').send({ ...SAMPLE_TALK, capacity: 0, speakerIds: ['5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11', 'nope'] }).expect(400);
      expect(again.body.errors.map((e: { path: string }) => e.path)).to.have.members(['capacity', 'speakerIds[1]']);
    });

    it('answers 400 for a missing field with "is required"', async () => {
      const { app } = demoApp();
      const { title: _title, ...rest } = SAMPLE_TALK;
      const res = await requestTo(app).post('/talks').send(rest).expect(400);
      expect(res.body.errors).to.deep.equal([{ path: 'title', message: 'is required' }]);
    });

    it('answers 400 REQUEST.BODY_REQUIRED for a POST without a body, or with whitespace only', async () => {
      const { app } = demoApp();
      const none = await requestTo(app).post('/talks').expect(400);
      expect(none.body.code).to.equal('REQUEST.BODY_REQUIRED');
      const blank = await requestTo(app).post('/talks').set('Content-Type', 'application/json').send('  \n').expect(400);
      expect(blank.body.code).to.equal('REQUEST.BODY_REQUIRED');
    });

    it('answers 400 REQUEST.MALFORMED_JSON for invalid JSON', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).post('/talks').set('Content-Type', 'application/json').send('{"title": "x",').expect(400);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body.code).to.equal('REQUEST.MALFORMED_JSON');
    });

    it('answers 400 REQUEST.TOO_DEEP for 10,000 levels of nesting, without touching the stack', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).post('/talks').set('Content-Type', 'application/json').send(`{"title":${'['.repeat(10_000)}${']'.repeat(10_000)}}`).expect(400);
      expect(res.body.code).to.equal('REQUEST.TOO_DEEP');
      const deep = await requestTo(app).post('/talks').set('Content-Type', 'application/json').send('['.repeat(1_000_000) + ']'.repeat(1_000_000)).expect(413);
      expect(deep.body.code).to.equal('REQUEST.TOO_LARGE');
      const underLimit = await requestTo(app).post('/talks').set('Content-Type', 'application/json').send('['.repeat(30_000) + ']'.repeat(30_000)).expect(400);
      expect(underLimit.body.code).to.equal('REQUEST.TOO_DEEP');
    });

    it('accepts nesting up to the configured depth and brackets inside strings', async () => {
      const { app } = demoApp({ app: { maxJsonDepth: 3 } });
      const res = await requestTo(app).post('/talks').send({ ...SAMPLE_TALK, title: '[[[[[[{{{{ "\\"[' }).expect(201);
      expect(res.body.title).to.equal('[[[[[[{{{{ "\\"[');
      const tooDeep = await requestTo(app).post('/talks').send({ ...SAMPLE_TALK, speakerIds: [[['x']]] }).expect(400);
      expect(tooDeep.body.code).to.equal('REQUEST.TOO_DEEP');
    });

    it('answers 413 beyond the limit, declared or chunked, and accepts a body just under it', async () => {
      const { app } = demoApp({ app: { bodyLimitBytes: 1024 } });
      const big = JSON.stringify({ ...SAMPLE_TALK, notes: 'x'.repeat(2000) });
      const declared = await requestTo(app).post('/talks').set('Content-Type', 'application/json').send(big).expect(413);
      expect(declared.headers['content-type']).to.match(PROBLEM);
      expect(declared.body).to.include({ code: 'REQUEST.TOO_LARGE', status: 413, title: 'Content Too Large' });

      const chunked = requestTo(app).post('/talks').set('Content-Type', 'application/json');
      chunked.write(big.slice(0, 600));
      chunked.write(big.slice(600));
      const res = await chunked;
      expect(res.status).to.equal(413);

      const fits = JSON.stringify({ ...SAMPLE_TALK, notes: 'x'.repeat(400) });
      expect(Buffer.byteLength(fits)).to.be.below(1024);
      await requestTo(app).post('/talks').set('Content-Type', 'application/json').send(fits).expect(201);
    });

    it('answers 415 for another media type, a missing Content-Type, another charset or a content encoding', async () => {
      const { app } = demoApp();
      const body = JSON.stringify(SAMPLE_TALK);
      const text = await requestTo(app).post('/talks').set('Content-Type', 'text/plain').send(body).expect(415);
      expect(text.headers['content-type']).to.match(PROBLEM);
      expect(text.body.code).to.equal('REQUEST.UNSUPPORTED_MEDIA_TYPE');
      const form = await requestTo(app).post('/talks').type('form').send({ title: 'x' }).expect(415);
      expect(form.body.code).to.equal('REQUEST.UNSUPPORTED_MEDIA_TYPE');
      const latin1 = await requestTo(app).post('/talks').set('Content-Type', 'application/json; charset=latin1').send(body).expect(415);
      expect(latin1.body.code).to.equal('REQUEST.UNSUPPORTED_CHARSET');
      const gzip = await requestTo(app).post('/talks').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(body).expect(415);
      expect(gzip.body.code).to.equal('REQUEST.UNSUPPORTED_ENCODING');
      await requestTo(app).post('/talks').set('Content-Type', 'application/json; charset=UTF-8').send(body).expect(201);
      await requestTo(app).post('/talks').set('Content-Type', 'application/merge-patch+json').send(body).expect(201);
    });

    it('answers 400 for invalid UTF-8', async () => {
      const { app } = demoApp();
      const bytes = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      const res = await sendRaw(requestTo(app).post('/talks'), bytes, 'application/json').expect(400);
      expect(res.body.code).to.equal('REQUEST.INVALID_ENCODING');
    });

    it('answers every malformed body of the fuzzer with a 4xx problem and the expected status where the pipeline decides', async () => {
      const { app } = demoApp();
      for (const bad of malformedBodies(20260501, 80, { sample: SAMPLE_TALK })) {
        const res = await sendRaw(requestTo(app).post('/talks'), bad.body, bad.contentType);
        expect(res.status, bad.name).to.be.within(400, 499);
        expect(res.headers['content-type'], bad.name).to.match(PROBLEM);
        if (bad.expectedStatus) expect(res.status, bad.name).to.equal(bad.expectedStatus);
      }
    });
  });

  describe('query and path parameters', () => {
    it('decodes the query with its codec and refuses unknown parameters', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).get('/talks?q=hex').expect(200);
      expect(res.body.q).to.equal('hex');
      const bad = await requestTo(app).get('/talks?q=&sort=asc').expect(400);
      expect(bad.body.code).to.equal('REQUEST.INVALID_QUERY');
      expect(bad.body.errors.map((e: { path: string }) => e.path)).to.have.members(['sort']);
      const repeated = await requestTo(app).get('/talks?q=a&q=b').expect(400);
      expect(repeated.body.errors[0].path).to.equal('q');
    });

    it('answers 400 with the parameter name for a malformed path parameter', async () => {
      const { app } = demoApp();
      const res = await requestTo(app).get('/talks/not-a-uuid').expect(400);
      expect(res.body).to.include({ code: 'REQUEST.INVALID_PARAMS' });
      expect(res.body.errors[0].path).to.equal('id');
    });
  });
});
