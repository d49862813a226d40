import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { nginxAvailable } from './nginx-support.js';
import { renderScript } from './paths.js';

/**
 * A tiny upstream instance: answers every request with who it is and what it saw (method, path,
 * X-Request-Id); GET /__hits (asked directly, not through nginx) tells how many requests it got.
 * With DROP_POSTS=1 it destroys the connection on a POST without answering, like an instance that
 * crashed mid-request: the one case where retrying would be wrong for a non-idempotent request.
 */
const UPSTREAM = `
const http = require('node:http');
let hits = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/__hits') { res.end(String(hits)); return; }
  hits++;
  if (process.env.DROP_POSTS === '1' && req.method === 'POST') { req.socket.destroy(); return; }
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-request-id', req.headers['x-request-id'] ?? '');
    res.end(JSON.stringify({ instance: process.env.NAME, method: req.method, url: req.url, requestId: req.headers['x-request-id'] }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

interface Upstream { name: string; port: number; process: ChildProcess }

async function startUpstream(name: string, env: Record<string, string> = {}): Promise<Upstream> {
  const child = spawn(process.execPath, ['-e', UPSTREAM], { env: { ...process.env, NAME: name, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { name, port: Number(line), process: child };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

interface Answer { status: number; type: string | null; requestId: string | null; body: Record<string, unknown> }

describe('@infra nginx gateway (rendered config, live)', function () {
  let prefix: string;
  let nginx: ChildProcess | undefined;
  let base: string;
  const upstreams: Record<string, Upstream> = {};
  // If the run dies before after() (an uncaught error, ^C), nginx must still not be left running.
  const killNginx = (): void => {
    if (nginx && nginx.exitCode === null) nginx.kill('SIGKILL');
  };

  const call = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), requestId: response.headers.get('x-request-id'), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const hitsOf = async (upstream: Upstream): Promise<number> => Number(await (await fetch(`http://127.0.0.1:${upstream.port}/__hits`)).text());

  before(async function () {
    if (!nginxAvailable(this)) return;
    prefix = mkdtempSync(join(tmpdir(), 'conference-gateway-'));
    upstreams.eventA = await startUpstream('event-a');
    upstreams.eventB = await startUpstream('event-b');
    upstreams.user = await startUpstream('user');
    upstreams.notifierA = await startUpstream('notifier-a', { DROP_POSTS: '1' });
    upstreams.notifierB = await startUpstream('notifier-b', { DROP_POSTS: '1' });
    // The session service's only instance is gone (nothing listens there); the speaker service has none configured.
    const deadPort = await freePort();
    const listen = await freePort();
    base = `http://127.0.0.1:${listen}`;
    const input = {
      listen: `127.0.0.1:${listen}`,
      workerProcesses: '1',
      upstreams: {
        user: [`127.0.0.1:${upstreams.user.port}`],
        event: [`127.0.0.1:${upstreams.eventA.port}`, `127.0.0.1:${upstreams.eventB.port}`],
        session: [`127.0.0.1:${deadPort}`],
        speaker: [],
        notifier: [`127.0.0.1:${upstreams.notifierA.port}`, `127.0.0.1:${upstreams.notifierB.port}`],
      },
    };
    const rendered = spawnSync(process.execPath, [renderScript, '--prefix', prefix], { input: JSON.stringify(input), encoding: 'utf8' });
    if (rendered.status !== 0) throw new Error(`render.mjs failed: ${rendered.stderr}`);
    process.once('exit', killNginx);
    nginx = spawn('nginx', ['-e', 'stderr', '-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    nginx.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    for (let attempt = 0; ; attempt++) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited ${nginx.exitCode}: ${errors}`);
      try {
        if ((await fetch(`${base}/gateway/health`)).ok) break;
      } catch {
        if (attempt > 100) throw new Error(`nginx did not answer on ${base}: ${errors}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  after(async () => {
    await stop(nginx);
    process.off('exit', killNginx);
    await Promise.all(Object.values(upstreams).map((u) => stop(u.process, 'SIGKILL')));
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('balances a service over both of its instances, passing a sane client X-Request-Id both ways', async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const answer = await call('/api/events?page=1', { headers: { 'X-Request-Id': `client-id-${i}` } });
      expect(answer.status).to.equal(200);
      expect(answer.body.url).to.equal('/api/events?page=1');
      expect(answer.body.requestId, 'sent upstream').to.equal(`client-id-${i}`);
      expect(answer.requestId, 'sent back').to.equal(`client-id-${i}`);
      seen.set(answer.body.instance as string, (seen.get(answer.body.instance as string) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).to.deep.equal(['event-a', 'event-b']);
    expect(Math.min(...seen.values())).to.be.at.least(5);
  });

  it('replaces a missing or insane X-Request-Id by its own, and logs it with the upstream address as JSON', async () => {
    const missing = await call('/api/events/1');
    expect(missing.requestId).to.match(/^[0-9a-f]{32}$/);
    expect(missing.body.requestId).to.equal(missing.requestId);
    const insane = await call('/api/events/2', { headers: { 'X-Request-Id': 'a b"c' } });
    expect(insane.requestId).to.match(/^[0-9a-f]{32}$/);
    expect(insane.body.requestId).to.equal(insane.requestId);
    const lines = readFileSync(join(prefix, 'logs', 'access.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = lines.find((l) => l.requestId === insane.requestId);
    expect(entry).to.include({ service: 'event', method: 'GET', uri: '/api/events/2', status: 200 });
    expect(entry!.upstreamAddr).to.match(/^127\.0\.0\.1:\d+$/);
    expect(entry!.upstreamResponseTime).to.match(/^\d+\.\d+$/);
  });

  it('loses no GET when an instance is killed: the request is retried on the other', async () => {
    await stop(upstreams.eventA!.process, 'SIGKILL');
    for (let i = 0; i < 20; i++) {
      const answer = await call(`/api/events/${i}`);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      expect(answer.body.instance).to.equal('event-b');
    }
    // The log shows the retries: the dead instance tried first, then the live one, in one request.
    const retried = readFileSync(join(prefix, 'logs', 'access.log'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as { upstreamAddr: string })
      .filter((l) => l.upstreamAddr === `127.0.0.1:${upstreams.eventA!.port}, 127.0.0.1:${upstreams.eventB!.port}`);
    expect(retried.length).to.be.at.least(1);
  });

  it('does not re-send a POST that an instance may have received (no non_idempotent retry)', async () => {
    const before = (await hitsOf(upstreams.notifierA!)) + (await hitsOf(upstreams.notifierB!));
    const answer = await call('/api/audit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const after = (await hitsOf(upstreams.notifierA!)) + (await hitsOf(upstreams.notifierB!));
    expect(after - before, 'instances that received the POST').to.equal(1);
    expect(answer.status).to.equal(503);
    expect(answer.type).to.equal('application/problem+json');
    expect(answer.body).to.include({ status: 503, service: 'notifier' });
  });

  it('answers a JSON 503 problem for a service with no instance left, while the other routes keep working', async () => {
    for (const [path, service] of [['/api/sessions/1', 'session'], ['/api/speakers', 'speaker']] as const) {
      const answer = await call(path);
      expect(answer.status, path).to.equal(503);
      expect(answer.type, path).to.equal('application/problem+json');
      expect(answer.body, path).to.include({ status: 503, code: 'GATEWAY.SERVICE_UNAVAILABLE', service });
      expect(answer.requestId, path).to.match(/^[0-9a-f]{32}$/);
    }
    expect((await call('/api/users/me')).body.instance).to.equal('user');
    expect((await call('/api/events')).status).to.equal(200);
  });

  it('answers a JSON 404 problem for a path no service serves', async () => {
    for (const path of ['/', '/nope', '/api/eventsx', '/api']) {
      const answer = await call(path);
      expect(answer.status, path).to.equal(404);
      expect(answer.type, path).to.equal('application/problem+json');
      expect(answer.body, path).to.include({ status: 404, code: 'GATEWAY.ROUTE_NOT_FOUND' });
    }
  });

  it('refuses a body over the services\' limit with a JSON 413 problem, without bothering the instance', async () => {
    const before = await hitsOf(upstreams.user!);
    const answer = await call('/api/users/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(70 * 1024) }) });
    expect(answer.status).to.equal(413);
    expect(answer.type).to.equal('application/problem+json');
    expect(answer.body).to.include({ status: 413, code: 'REQUEST.TOO_LARGE' });
    expect(await hitsOf(upstreams.user!)).to.equal(before);
    const fits = await call('/api/users/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(60 * 1024) }) });
    expect(fits.status).to.equal(200);
  });

  it('rate-limits /api/auth per address with a JSON 429 problem (and only /api/auth)', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, () => call('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })));
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200).length).to.be.at.least(20);
    expect(limited.length).to.be.at.least(20);
    expect(limited[0]!.type).to.equal('application/problem+json');
    expect(limited[0]!.body).to.include({ status: 429, code: 'GATEWAY.RATE_LIMITED' });
    const users = await Promise.all(Array.from({ length: 40 }, () => call('/api/users/me')));
    expect(users.every((a) => a.status === 200)).to.equal(true);
  });
});
