import { spawn, type ChildProcess } from 'node:child_process';
import { request, type ClientRequest } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { TEST_AUDIENCE, TEST_ISSUER, createTestTokens } from '@conference/http-kit/testing';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 8000;
const DRAIN_MS = 300;

type Answer = { readonly status: number; readonly body: unknown } | { readonly error: string };

interface Running {
  readonly child: ChildProcess;
  readonly httpPort: number;
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; at: number }>;
}

/** Starts `node dist/main.js` and resolves once it logged that it is ready. */
async function startService(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const ready = new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
        buffered = buffered.slice(newline + 1);
        lines.push(line);
        if (line['msg'] === 'speaker-service ready') resolve(line['httpPort'] as number);
      }
    });
    void exited.then(({ code }) => reject(new Error(`exited with ${code} before it was ready`)));
  });
  return { child, httpPort: await ready, lines, exited };
}

/** One request on a connection of its own (no keep-alive): a complete JSON answer, or the error that ended it. */
function send(port: number, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch {
          resolve({ error: `incomplete body (${res.statusCode})` });
        }
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(payload);
  });
}

/** A POST whose body arrives in two parts, the second when `finish` is called: a request that is slow on its own, in flight meanwhile. */
function slowPost(port: number, path: string, body: unknown, authorization: string): { finish: () => void; answer: Promise<Answer> } {
  const text = JSON.stringify(body);
  let req!: ClientRequest;
  const answer = new Promise<Answer>((resolve) => {
    req = request({ host: '127.0.0.1', port, method: 'POST', path, agent: false, headers: { 'Content-Type': 'application/json', Authorization: authorization, 'Transfer-Encoding': 'chunked' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.write(text.slice(0, 10));
  });
  return { finish: () => req.end(text.slice(10)), answer };
}

describe('speaker-service process (node dist/main.js)', function () {
  this.timeout(60_000);
  let running: Running | undefined;
  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
  });

  it('SIGTERM during a burst: every accepted request is answered completely, new ones are refused, then exit 0 within the bound', async () => {
    const tokens = await createTestTokens();
    running = await startService({
      PROFILE: 'memory', PORT: '0', GRPC_PORT: '0', LOG_LEVEL: 'info',
      JWKS_JSON: JSON.stringify(tokens.signer.jwks()), JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    });
    const { httpPort: port } = running;
    const auth = await tokens.bearer({ role: 'organizer' });

    const slow = Array.from({ length: 5 }, (_, i) => slowPost(port, '/api/speakers', { name: `Slow ${i}` }, auth));
    let answered = 0;
    let signalled!: () => void;
    const signalSent = new Promise<void>((resolve) => (signalled = resolve));
    const burst = Array.from({ length: 200 }, (_, i) =>
      (i % 4 === 0 ? send(port, 'POST', '/api/speakers', { body: { name: `Burst ${i}` }, headers: { Authorization: auth } }) : send(port, 'GET', '/api/speakers?limit=5'))
        .then((answer) => {
          if (++answered === 50) {
            running!.child.kill('SIGTERM');
            signalled();
          }
          return answer;
        }));
    await signalSent;
    const signalAt = Date.now();

    // Draining: still listening, but /ready tells the balancer to stop sending.
    const ready = await send(port, 'GET', '/ready');
    expect(ready).to.deep.include({ status: 503 });
    expect((ready as { body: { status: string } }).body.status).to.equal('draining');

    // After the drain the listener closes while the slow requests are still in flight.
    await delay(DRAIN_MS + 300);
    const refused = await send(port, 'GET', '/health');
    expect(refused).to.deep.equal({ error: 'ECONNREFUSED' });
    for (const request of slow) request.finish();

    const slowAnswers = await Promise.all(slow.map((s) => s.answer));
    for (const answer of slowAnswers) expect(answer).to.have.property('status', 201);
    const answers = await Promise.all(burst);
    const failures = answers.filter((a) => 'error' in a && a.error !== 'ECONNREFUSED');
    expect(failures, JSON.stringify(failures.slice(0, 5))).to.deep.equal([]);
    for (const answer of answers.filter((a): a is Exclude<Answer, { error: string }> => 'status' in a)) {
      expect(answer.status).to.be.oneOf([200, 201]);
      expect(answer.body).to.be.an('object');
    }
    expect(answers.filter((a) => 'status' in a).length).to.be.at.least(50);

    const { code, at } = await running.exited;
    expect(code).to.equal(0);
    expect(at - signalAt).to.be.below(SHUTDOWN_TIMEOUT_MS);
    const steps = running.lines.filter((l) => l['msg'] === 'shutdown step done').map((l) => l['step']);
    expect(steps).to.deep.equal(['readiness draining', 'http server', 'grpc server']);
  });

  it('refuses to start on a wrong value, naming the variable, with a non-zero exit', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PROFILE: 'memory', PORT: 'abc' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr).to.match(/PORT: must be a port number/);
  });

  it('refuses the postgres profile without DATABASE_URL', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', JWKS_URL: 'http://127.0.0.1:1/jwks.json' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr).to.contain('DATABASE_URL: is required when PROFILE=postgres');
  });
});
