import { spawn, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino, type Logger } from 'pino';
import { createLogger, REDACTED_PATHS } from './access-log.js';
import { RestApi } from './openapi/rest-api.js';
import { createHttpApp } from './app.js';
import { requestTo } from './testing/request.js';

const ACCESS_LOG = new URL('./access-log.js', import.meta.url).href;

describe('createLogger', () => {
  it('writes JSON lines with the service name and redacts credentials logged by mistake', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
    const logger = createLogger('event', { level: 'debug' }, sink);
    logger.info({ headers: { authorization: 'Bearer abc' }, body: { password: 'hunter22222', refreshToken: 'r-1', title: 'ok' } }, 'oops');
    expect(lines[0]).to.include({ service: 'event', msg: 'oops' });
    expect(JSON.stringify(lines[0])).not.to.match(/abc|hunter2|r-1/);
    expect((lines[0]!['body'] as Record<string, unknown>)['title']).to.equal('ok');
  });

  it('redacts every path it names, and leaves the fields beside them', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(chunk.toString()); done(); } });
    const logger = createLogger('user', {}, sink);
    for (const path of REDACTED_PATHS) {
      const fields: Record<string, unknown> = { kept: 'visible' };
      const parts = path.split('.');
      let at = fields;
      for (const part of parts.slice(0, -1)) at = (at[part] = { kept: 'visible' }) as Record<string, unknown>;
      at[parts.at(-1)!] = 'secret-value';
      logger.info(fields, path);
    }
    expect(lines).to.have.length(REDACTED_PATHS.length);
    for (const line of lines) {
      expect(line).not.to.include('secret-value');
      expect(line).to.include('[redacted]').and.include('visible');
    }
  });

  it('on stdout, loses no buffered line when the process exits at once (process.exit right after logging)', () => {
    const script = `
      const { createLogger } = await import(${JSON.stringify(ACCESS_LOG)});
      const logger = createLogger('exit-test');
      for (let i = 0; i < 3000; i++) logger.info({ i }, 'line');
      logger.fatal('last words');
      process.exit(3);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.status, run.stderr).to.equal(3);
    const lines = run.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { i?: number; msg: string });
    expect(lines).to.have.length(3001);
    expect(lines.slice(0, 3000).map((line) => line.i)).to.deep.equal([...Array(3000).keys()]);
    expect(lines[3000]!.msg).to.equal('last words');
  });

  it('on stdout, a quiet process still writes a short line within a fraction of a second', async () => {
    const script = `
      const { createLogger } = await import(${JSON.stringify(ACCESS_LOG)});
      createLogger('quiet-test').info({ port: 1234 }, 'ready');
      setTimeout(() => {}, 5000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const started = Date.now();
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        child.once('exit', () => reject(new Error('exited before logging')));
      });
      expect(JSON.parse(line)).to.include({ service: 'quiet-test', msg: 'ready', port: 1234 });
      expect(Date.now() - started).to.be.below(1500);
    } finally {
      child.kill();
    }
  });
});

describe('accessLog', () => {
  const appLogging = (handler: (log: () => Logger) => void) => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'debug', base: { service: 'demo' } }, new Writable({
      write(chunk: Buffer, _e, done) {
        for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }));
    const api = new RestApi({ info: { title: 'Demo', version: '1.0.0' } });
    api.route({ method: 'get', path: '/quiet', summary: 'Logs nothing', auth: 'none', responses: { 200: { description: 'ok' } } }, (ctx) => {
      ctx.body = { ok: true };
    });
    api.route({ method: 'get', path: '/chatty', summary: 'Logs', auth: 'none', responses: { 200: { description: 'ok' } } }, (ctx) => {
      handler(() => ctx.state.log);
      ctx.body = { ok: true };
    });
    const http = createHttpApp({ service: 'demo', logger, api, defaultMetrics: false });
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<Logger['child']>) => {
      children++;
      return child(...args);
    }) as Logger['child'];
    return { app: http.app, lines, children: () => children };
  };

  it('makes the request\'s child logger only when a handler reads ctx.state.log, stamped with the request id', async () => {
    const demo = appLogging((log) => {
      log().info({ detail: 1 }, 'from the handler');
      log().info({ detail: 2 }, 'again');
    });
    await requestTo(demo.app).get('/quiet').set('X-Request-Id', 'q-1').expect(200);
    expect(demo.children(), 'no handler read ctx.state.log').to.equal(0);
    await requestTo(demo.app).get('/chatty').set('X-Request-Id', 'c-1').expect(200);
    expect(demo.children(), 'one child for the request, however often it is read').to.equal(1);
    const fromHandler = demo.lines.filter((line) => line['msg'] !== 'request');
    expect(fromHandler.map((line) => [line['detail'], line['requestId'], line['service']])).to.deep.equal([[1, 'c-1', 'demo'], [2, 'c-1', 'demo']]);
    expect(demo.lines.filter((line) => line['msg'] === 'request').map((line) => [line['route'], line['requestId']])).to.deep.equal([['/quiet', 'q-1'], ['/chatty', 'c-1']]);
  });
});
