import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER } from '@conference/http-kit/testing';
import { SAMPLE_EVENT } from './http/route-test-kit.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const SHUTDOWN_BOUND_MS = 10_000;
const SLOW_UPLOAD_MS = 3000;
const DRAIN_DELAY_MS = 500;

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  readonly stderr: () => string;
}

/** `node dist/main.js` in the memory profile on a free port; resolves once it logged that it is ready. */
async function startService(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PROFILE: 'memory', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_BOUND_MS), SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg?.includes('ready') && typeof entry.port === 'number') {
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          resolve(entry.port);
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`exited with ${code} before it was ready: ${stderr}`)));
  });
  return { child, port, exited, stderr: () => stderr };
}

type Outcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly connectedAt: number }
  | { readonly kind: 'error'; readonly code: string; readonly connectedAt: number };

/** One request on its own connection. `slowMs`: the body is written in ten pieces over that long. */
function call(port: number, options: { method: string; path: string; headers?: Record<string, string>; body?: string; slowMs?: number; onConnect?: () => void }): Promise<Outcome> {
  return new Promise((resolve) => {
    let connectedAt = 0;
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: options.method,
      path: options.path,
      agent: false,
      headers: { ...options.headers, ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}) },
    });
    req.on('socket', (socket) => socket.once('connect', () => {
      connectedAt = Date.now();
      options.onConnect?.();
    }));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ kind: 'response', status: res.statusCode ?? 0, body: text, connectedAt }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'error', code: error.code ?? error.message, connectedAt }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'error', code: error.code ?? error.message, connectedAt }));
    if (!body) return void req.end();
    if (!options.slowMs) return void req.end(body);
    const pieces = 10;
    const size = Math.ceil(body.length / pieces);
    let piece = 0;
    const writeNext = () => {
      if (req.destroyed) return;
      const chunk = body.subarray(piece * size, (piece + 1) * size);
      piece++;
      if (piece >= pieces) req.end(chunk);
      else {
        req.write(chunk);
        setTimeout(writeNext, options.slowMs! / pieces);
      }
    };
    writeNext();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('event service process (dist/main.js)', function () {
  this.timeout(60_000);

  it('SIGTERM during a burst: stops accepting, answers every accepted request completely, exits 0 within the bound', async () => {
    const tokens = await createTestTokens();
    const service = await startService({ JWKS_JSON: JSON.stringify(tokens.signer.jwks()), JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE });
    try {
      const auth = await tokens.bearer({ role: 'organizer' });
      const created = await call(service.port, { method: 'POST', path: '/api/events', headers: { Authorization: auth }, body: JSON.stringify(SAMPLE_EVENT) });
      expect(created.kind === 'response' && created.status).to.equal(201);
      const eventId = (JSON.parse((created as { body: string }).body) as { id: string }).id;
      await call(service.port, { method: 'POST', path: `/api/events/${eventId}/publish`, headers: { Authorization: auth } });

      // 10 slow uploads (3 s each) and 190 quick requests, reads and writes, all at once.
      const body = JSON.stringify(SAMPLE_EVENT);
      let connected = 0;
      let allConnected: () => void = () => undefined;
      const everyoneConnected = new Promise<void>((resolve) => (allConnected = resolve));
      const onConnect = () => {
        if (++connected === 200) allConnected();
      };
      const slow = Array.from({ length: 10 }, () => call(service.port, { method: 'POST', path: '/api/events', headers: { Authorization: auth }, body, slowMs: SLOW_UPLOAD_MS, onConnect }));
      const quick = Array.from({ length: 190 }, (_, i) =>
        i % 3 === 0 ? call(service.port, { method: 'POST', path: '/api/events', headers: { Authorization: auth }, body, onConnect })
          : i % 3 === 1 ? call(service.port, { method: 'GET', path: `/api/events/${eventId}`, onConnect })
            : call(service.port, { method: 'GET', path: '/api/events?limit=5', onConnect }));
      // Once every connection is open and the server has had a moment to accept them all: SIGTERM,
      // with the slow uploads still arriving and quick requests still being answered.
      await everyoneConnected;
      await sleep(100);
      const signalledAt = Date.now();
      service.child.kill('SIGTERM');

      // After the drain delay new connections are refused, while the slow uploads are still being received.
      let refusedAt = 0;
      for (let attempt = 0; attempt < 150 && refusedAt === 0; attempt++) {
        const probe = await call(service.port, { method: 'GET', path: '/ready' });
        if (probe.kind === 'error' && probe.code === 'ECONNREFUSED') refusedAt = Date.now();
        else {
          // Still accepting during the drain delay, and telling balancers to go elsewhere.
          if (probe.kind === 'response') expect(probe.status, probe.body).to.equal(503);
          await sleep(20);
        }
      }
      expect(refusedAt, 'a new connection is refused after SIGTERM and the drain delay').to.be.above(signalledAt + DRAIN_DELAY_MS - 50);

      const outcomes = await Promise.all([...slow, ...quick]);
      const accepted = outcomes.filter((o) => o.connectedAt > 0 && o.connectedAt < signalledAt);
      expect(accepted, 'every request of the burst was accepted before the signal').to.have.length(200);
      const failures = accepted.filter((o) => o.kind !== 'response' || (o.status !== 200 && o.status !== 201));
      expect(failures, JSON.stringify(failures.slice(0, 3))).to.deep.equal([]);
      for (const outcome of accepted) expect(() => JSON.parse((outcome as { body: string }).body), 'a complete JSON body').not.to.throw();
      const slowDone = await Promise.all(slow);
      expect(slowDone.every((o) => o.kind === 'response' && o.status === 201), 'the slow uploads finished after the signal').to.equal(true);
      expect(refusedAt, 'stopped accepting before the slow uploads were done').to.be.below(signalledAt + SLOW_UPLOAD_MS);

      const exit = await service.exited;
      expect(exit).to.deep.include({ code: 0, signal: null });
      expect(exit.at - signalledAt).to.be.below(SHUTDOWN_BOUND_MS);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
  });

  it('a wrong environment value stops it at once, exit 1, with a message naming the variable', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PROFILE: 'memory', PORT: 'abc' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr).to.match(/PORT: must be a port number/);
  });

  it('the postgres profile (the default) refuses to start without what it needs, naming each variable', async () => {
    const env = { ...process.env };
    for (const name of ['PROFILE', 'DATABASE_URL', 'JWKS_URL', 'SESSION_GRPC_TARGET', 'AMQP_URL']) delete env[name];
    const child = spawn(process.execPath, [MAIN], { env: { ...env, SESSION_GRPC_TARGET: 'not a target' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    for (const name of ['DATABASE_URL', 'JWKS_URL', 'AMQP_URL']) expect(stderr).to.contain(`${name}: is required when PROFILE=postgres`);
    expect(stderr).to.contain('SESSION_GRPC_TARGET: must be a gRPC target');
  });
});
