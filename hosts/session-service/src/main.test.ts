import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { HEALTH_SERVICE, SESSION_SERVICE } from '@conference/adapters-grpc';
import { rawUnary } from '@conference/adapters-grpc/testing';
import { TEST_AUDIENCE, TEST_ISSUER, createTestTokens, type TestTokens } from '@conference/http-kit/testing';
import { sessionBody } from './http/session-test-kit.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const SHUTDOWN_BOUND_MS = 10_000;
const DRAIN_DELAY_MS = 1000;

interface Running {
  readonly child: ChildProcess;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startService(tokens: TestTokens): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PROFILE: 'memory',
      PORT: '0',
      GRPC_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWKS_JSON: JSON.stringify(tokens.signer.jwks()),
      JWT_ISSUER: TEST_ISSUER,
      JWT_AUDIENCE: TEST_AUDIENCE,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_BOUND_MS),
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() === '') continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (parsed['msg'] === 'session-service ready') resolve(parsed);
      }
    });
    void exited.then(({ code }) => reject(new Error(`the service exited (${code}) before it was ready: ${stderr}`)));
  });
  const line = await ready;
  return { child, httpPort: line['httpPort'] as number, grpcPort: line['grpcPort'] as number, lines, exited };
}

interface Outcome {
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
  /** When the response ended. */
  readonly at?: number;
  /** The socket was connected: the server had taken the request. */
  readonly connected: boolean;
}

/**
 * One request on its own connection (no keep-alive, so every request is a separate acceptance).
 * With `trickle`, the body is sent in two halves `trickle.pauseMs` apart: a slow upload, in flight
 * on the server for that long.
 */
function send(port: number, method: string, path: string, options: { body?: string; authorization?: string; onConnect?: () => void; trickle?: { pauseMs: number; onHalfSent: () => void } } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    let connected = false;
    const req = request({
      host: '127.0.0.1', port, method, path, agent: false,
      headers: {
        ...(options.body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(options.body) } : {}),
        ...(options.authorization ? { Authorization: options.authorization } : {}),
      },
    }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body, connected, at: Date.now() }));
      res.on('error', (error) => resolve({ error: error.message, connected }));
    });
    req.on('socket', (socket) => socket.once('connect', () => {
      connected = true;
      options.onConnect?.();
    }));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, connected }));
    if (options.body === undefined) {
      req.end();
    } else if (options.trickle) {
      const half = Math.floor(options.body.length / 2);
      const trickle = options.trickle;
      req.write(options.body.slice(0, half), () => {
        trickle.onHalfSent();
        setTimeout(() => req.end(options.body!.slice(half)), trickle.pauseMs);
      });
    } else {
      req.end(options.body);
    }
  });
}

describe('session-service process (dist/main.js)', function () {
  this.timeout(60_000);
  let running: Running | undefined;
  afterEach(() => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    running = undefined;
  });

  it('SIGTERM during a burst: every accepted request is answered completely, then gRPC stops and the process exits 0 within the bound', async () => {
    const tokens = await createTestTokens();
    running = await startService(tokens);
    const { httpPort, grpcPort } = running;
    const bearer = await tokens.bearer({ role: 'organizer' });
    const grpcTarget = `127.0.0.1:${grpcPort}`;
    expect((await rawUnary(HEALTH_SERVICE, grpcTarget, 'Check', { service: SESSION_SERVICE })).response).to.deep.equal({ status: 'SERVING' });

    const SLOW = 20;
    const FAST = 200;
    let halfSent = 0;
    let allHalfSent!: () => void;
    const slowInFlight = new Promise<void>((resolve) => (allHalfSent = resolve));
    const slow = Array.from({ length: SLOW }, () => send(httpPort, 'POST', '/api/sessions', {
      body: JSON.stringify(sessionBody()),
      authorization: bearer,
      trickle: { pauseMs: 700, onHalfSent: () => { if (++halfSent === SLOW) allHalfSent(); } },
    }));
    let connectedFast = 0;
    let allFastConnected!: () => void;
    const fastConnected = new Promise<void>((resolve) => (allFastConnected = resolve));
    const onConnect = () => { if (++connectedFast === FAST) allFastConnected(); };
    const fast = Array.from({ length: FAST }, (_, i) => (i % 2 === 0
      ? send(httpPort, 'POST', '/api/sessions', { body: JSON.stringify(sessionBody()), authorization: bearer, onConnect })
      : send(httpPort, 'GET', '/api/sessions?limit=5', { onConnect })));

    // SIGTERM while the slow uploads are half-way and the burst is being answered: every request
    // of the burst has its connection by then, so each one counts as accepted and must be answered.
    await Promise.all([slowInFlight, fastConnected]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const signalledAt = Date.now();
    running.child.kill('SIGTERM');
    // Requests after the signal: answered while draining (/ready says so), refused once the listener closed; never half-answered.
    const late = Array.from({ length: 20 }, () => send(httpPort, 'GET', '/ready'));

    const slowOutcomes = await Promise.all(slow);
    const fastOutcomes = await Promise.all(fast);
    const lateOutcomes = await Promise.all(late);
    const exit = await running.exited;

    for (const outcome of slowOutcomes) {
      expect(outcome.status, JSON.stringify(outcome)).to.equal(201);
      // Answered after the signal: the server waited for uploads still arriving.
      expect(outcome.at).to.be.above(signalledAt);
      expect(JSON.parse(outcome.body!)).to.have.property('id');
    }
    for (const [i, outcome] of fastOutcomes.entries()) {
      expect(outcome.error, `fast request ${i}: ${JSON.stringify(outcome)}`).to.equal(undefined);
      expect(outcome.status).to.equal(i % 2 === 0 ? 201 : 200);
      expect(() => JSON.parse(outcome.body!)).not.to.throw();
    }
    for (const outcome of lateOutcomes) {
      if (outcome.status !== undefined) {
        expect(outcome.status).to.equal(503);
        expect(JSON.parse(outcome.body!)).to.include({ status: 'draining' });
      }
      else expect(outcome.error, JSON.stringify(outcome)).to.be.oneOf(['ECONNREFUSED', 'ECONNRESET']);
    }
    expect(exit.code).to.equal(0);
    expect(exit.at - signalledAt).to.be.below(SHUTDOWN_BOUND_MS);
    // The steps in the order they run (handleShutdownSignals runs them one after another), each done.
    // Completion lines are compared as a set: under load the logger's stream can flush lines out of order.
    const order = ['readiness: draining', 'http: stop accepting, answer requests in flight', 'grpc: stop accepting, finish calls in flight', 'close pools and channels'];
    expect(running.lines.find((l) => l['msg'] === 'shutting down')?.['steps']).to.deep.equal(order);
    expect(running.lines.filter((l) => l['msg'] === 'shutdown step done').map((l) => l['step'])).to.have.members(order);
    expect(running.lines.filter((l) => l['msg'] === 'request' && l['method'] === 'POST' && l['status'] === 201)).to.have.length(SLOW + FAST / 2);
    const grpcAfter = await rawUnary(HEALTH_SERVICE, grpcTarget, 'Check', { service: SESSION_SERVICE }, { deadlineMs: 1000 });
    expect(grpcAfter.code).not.to.equal(0);
  });

  it('a wrong environment value stops it at once with a message naming the variable, exit code 1', () => {
    const result = spawnSync(process.execPath, [MAIN], { env: { ...process.env, PROFILE: 'memory', PORT: 'abc', GRPC_PORT: '99999' }, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain('PORT: must be a port number').and.to.contain('GRPC_PORT');
  });

  it('the postgres profile without its database, JWKS, speaker service and broker names each missing variable', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['PROFILE', 'DATABASE_URL', 'JWKS_URL', 'SPEAKER_GRPC_TARGET', 'AMQP_URL'].includes(k)));
    const result = spawnSync(process.execPath, [MAIN], { env, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).to.equal(1);
    for (const variable of ['DATABASE_URL', 'JWKS_URL', 'SPEAKER_GRPC_TARGET', 'AMQP_URL']) expect(result.stderr).to.contain(`${variable}: is required when PROFILE=postgres`);
  });
});
