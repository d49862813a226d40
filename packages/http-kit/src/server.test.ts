import { EventEmitter } from 'node:events';
import { Agent, request, type IncomingMessage } from 'node:http';
import { expect } from 'chai';
import Koa from 'koa';
import sinon from 'sinon';
import { startHttpServer } from './server.js';
import { handleShutdownSignals } from './shutdown.js';

function get(port: number, path: string, agent?: Agent): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function slowApp(): { app: Koa; release: () => void; started: Promise<void> } {
  let release!: () => void;
  let markStarted!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.path === '/slow') {
      markStarted();
      await gate;
    }
    ctx.body = { path: ctx.path };
  });
  return { app, release, started };
}

describe('startHttpServer', () => {
  it('on close: refuses new connections, finishes the in-flight request, closes idle keep-alive connections', async () => {
    const { app, release, started } = slowApp();
    const running = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    try {
      await get(running.port, '/fast', agent); // leaves an idle keep-alive connection
      const slow = get(running.port, '/slow', agent);
      await started;
      const closed = running.close(5000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      let refused: unknown;
      await get(running.port, '/fast').catch((e: unknown) => (refused = e));
      expect((refused as NodeJS.ErrnoException | undefined)?.code).to.equal('ECONNREFUSED');
      release();
      const answer = await slow;
      expect(answer.status).to.equal(200);
      expect(JSON.parse(answer.body)).to.deep.equal({ path: '/slow' });
      expect(answer.headers['connection']).to.equal('close');
      expect(await closed).to.equal(true);
      expect(running.server.listening).to.equal(false);
    } finally {
      agent.destroy();
    }
  });

  it('cuts connections still busy when the bound passes, and says so', async () => {
    const { app, release, started } = slowApp();
    const running = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
    const slow = get(running.port, '/slow').catch((e: NodeJS.ErrnoException) => e);
    await started;
    const before = Date.now();
    expect(await running.close(100)).to.equal(false);
    expect(Date.now() - before).to.be.below(2000);
    const outcome = await slow;
    expect(outcome).to.be.instanceOf(Error);
    release();
  });

  it('reports the port it bound when asked for port 0', async () => {
    const running = await startHttpServer(slowApp().app, { port: 0, host: '127.0.0.1' });
    expect(running.port).to.be.above(0);
    expect((await get(running.port, '/x')).status).to.equal(200);
    expect(await running.close()).to.equal(true);
  });
});

describe('handleShutdownSignals', () => {
  const logger = { info: () => {}, warn: () => {}, error: () => {} };
  let fakeProcess: EventEmitter;
  beforeEach(() => (fakeProcess = new EventEmitter()));

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('runs the steps in order on SIGTERM and exits 0', async () => {
    const order: string[] = [];
    const exit = sinon.spy();
    const handle = handleShutdownSignals([
      { name: 'http', run: async () => { await settle(); order.push('http'); } },
      { name: 'consumers', run: async () => { order.push('consumers'); } },
      { name: 'database', run: async () => { order.push('database'); } },
    ], { logger, process: fakeProcess, exit, timeoutMs: 1000 });
    fakeProcess.emit('SIGTERM', 'SIGTERM');
    await settle();
    await settle();
    expect(order).to.deep.equal(['http', 'consumers', 'database']);
    expect(exit.calledOnceWithExactly(0)).to.equal(true);
    handle.dispose();
    expect(fakeProcess.listenerCount('SIGTERM')).to.equal(0);
  });

  it('still runs the later steps when one fails, and exits 1', async () => {
    const exit = sinon.spy();
    const last = sinon.spy(async () => {});
    const handle = handleShutdownSignals([
      { name: 'http', run: async () => { throw new Error('already closed'); } },
      { name: 'database', run: last },
    ], { logger, process: fakeProcess, exit });
    expect(await handle.shutdown('test')).to.equal(1);
    expect(last.calledOnce).to.equal(true);
    expect(exit.calledOnceWithExactly(1)).to.equal(true);
  });

  it('exits 1 when the steps outlast the bound', async () => {
    const exit = sinon.spy();
    const handle = handleShutdownSignals([{ name: 'stuck', run: () => new Promise(() => {}) }], { logger, process: fakeProcess, exit, timeoutMs: 30 });
    expect(await handle.shutdown('test')).to.equal(1);
    expect(exit.calledOnceWithExactly(1)).to.equal(true);
  });

  it('a second signal exits 1 at once', async () => {
    const exit = sinon.spy();
    const handle = handleShutdownSignals([{ name: 'stuck', run: () => new Promise(() => {}) }], { logger, process: fakeProcess, exit, timeoutMs: 300 });
    fakeProcess.emit('SIGINT', 'SIGINT');
    await settle();
    expect(exit.called).to.equal(false);
    fakeProcess.emit('SIGINT', 'SIGINT');
    expect(exit.calledOnceWithExactly(1)).to.equal(true);
    // The first shutdown's own bound still runs out; wait for it so no timer outlives the test.
    expect(await handle.shutdown('test')).to.equal(1);
  });
});
