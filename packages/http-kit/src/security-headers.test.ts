import { expect } from 'chai';
import Koa from 'koa';
import helmet from 'koa-helmet';
import { recordHelmetHeaders } from './security-headers.js';
import { requestTo } from './testing/request.js';
import { demoApp } from './test-support.js';

/** Headers that differ per response whatever the middleware. */
const VARYING = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'x-request-id', 'etag', 'cache-control']);
const securityHeadersOf = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !VARYING.has(name)).sort(([a], [b]) => a.localeCompare(b)));

describe('security headers', () => {
  it('are exactly the ones koa-helmet sets per request, on a success and on a problem', async () => {
    const reference = new Koa();
    reference.use(helmet());
    reference.use((ctx) => {
      ctx.body = { status: 'ok' };
    });
    const expected = securityHeadersOf((await requestTo(reference).get('/health').expect(200)).headers);
    expect(Object.keys(expected)).to.include.members(['content-security-policy', 'strict-transport-security', 'x-frame-options']);
    const { app } = demoApp();
    expect(securityHeadersOf((await requestTo(app).get('/health').expect(200)).headers)).to.deep.equal(expected);
    expect(securityHeadersOf((await requestTo(app).get('/nowhere').expect(404)).headers)).to.deep.equal(expected);
  });

  it('are recorded from helmet once, with the X-Powered-By removal', () => {
    const recorded = recordHelmetHeaders();
    expect(recorded.set.length).to.be.greaterThan(5);
    expect(recorded.removed.map((name) => name.toLowerCase())).to.include('x-powered-by');
  });
});
