import { expect } from 'chai';
import { Readiness } from './readiness.js';
import { requestTo } from './testing/request.js';
import { demoApp } from './test-support.js';

describe('/health and /ready', () => {
  it('/health answers 200 {status: ok} even when every readiness check fails', async () => {
    const readiness = new Readiness().add('database', () => Promise.reject(new Error('down')));
    const { app } = demoApp({ app: { readiness } });
    const res = await requestTo(app).get('/health').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('/ready answers 200 with every check up', async () => {
    const readiness = new Readiness().add('database', async () => {}).add('broker', async () => 'connected');
    const { app } = demoApp({ app: { readiness } });
    const res = await requestTo(app).get('/ready').expect(200);
    expect(res.body.status).to.equal('ready');
    expect(res.body.checks.database.status).to.equal('up');
    expect(res.body.checks.broker.status).to.equal('up');
  });

  it('/ready answers 503 naming the failed and the timed-out checks', async () => {
    const readiness = new Readiness(50)
      .add('database', async () => {})
      .add('broker', () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:5672')))
      .add('speaker-grpc', () => new Promise(() => {}))
      .add('throws', () => {
        throw new Error('synchronously');
      });
    const { app } = demoApp({ app: { readiness } });
    const res = await requestTo(app).get('/ready').expect(503);
    expect(res.body.status).to.equal('unavailable');
    expect(res.body.checks.database.status).to.equal('up');
    expect(res.body.checks.broker).to.include({ status: 'down', error: 'ECONNREFUSED 127.0.0.1:5672' });
    expect(res.body.checks['speaker-grpc']).to.include({ status: 'down', error: 'did not answer within 50 ms' });
    expect(res.body.checks.throws).to.include({ status: 'down', error: 'synchronously' });
  });

  it('/ready answers 503 draining once setDraining() is called, while /health stays 200', async () => {
    const readiness = new Readiness().add('database', async () => {});
    const { app } = demoApp({ app: { readiness } });
    await requestTo(app).get('/ready').expect(200);
    readiness.setDraining();
    expect((await requestTo(app).get('/ready').expect(503)).body.status).to.equal('draining');
    await requestTo(app).get('/health').expect(200);
  });

  it('refuses two checks with one name', () => {
    expect(() => new Readiness().add('db', async () => {}).add('db', async () => {})).to.throw(/already registered/);
  });
});
