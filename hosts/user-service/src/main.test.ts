import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

interface Started { readonly child: ChildProcess; readonly port: number; readonly output: () => string; readonly exited: Promise<number | null> }

/** Starts `node dist/main.js` on a free port and waits for its "ready" line. */
async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PROFILE: 'memory', PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output}`)), 15_000);
    const poll = setInterval(() => {
      const match = /"port":(\d+)[^\n]*ready/.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  return { child, port, output: () => output, exited };
}

interface Outcome { readonly at?: number; readonly status?: number; readonly complete?: boolean; readonly error?: string; readonly answered: boolean }

/** One request on its own connection; `answered` once the response has begun (headers received). */
function fire(port: number, agent: Agent, path: string, body?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', agent, headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      res.on('end', () => {
        let complete = false;
        try {
          JSON.parse(text);
          complete = true;
        } catch { /* an incomplete body is reported as such */ }
        resolve({ at: Date.now(), status: res.statusCode, complete, answered: true });
      });
      res.on('error', (error) => resolve({ status: res.statusCode, complete: false, error: error.message, answered: true }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, answered: false }));
    if (body) req.write(body);
    req.end();
  });
}

describe('user-service main (node dist/main.js)', function () {
  this.timeout(60_000);

  it('SIGTERM during a burst: every accepted request gets a complete answer, then exit 0 within the bound', async () => {
    const service = await start({ LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '10000', ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2' });
    const agent = new Agent({ keepAlive: false, maxSockets: 500 });
    const accepted: Promise<Outcome>[] = [];
    // Registrations hash a password with argon2 (tens of ms each, queued on libuv's pool): the slow
    // requests still in flight when the signal arrives. Reads of the JWKS are the fast ones.
    for (let i = 0; i < 200; i++) {
      accepted.push(i % 2 === 0
        ? fire(service.port, agent, '/api/auth/register', JSON.stringify({ email: `burst${i}@example.org`, password: 'correct horse battery', name: `Burst ${i}` }))
        : fire(service.port, agent, '/api/auth/jwks.json'));
    }
    // Connections are accepted in the order they arrive: once the last one is answered, the server
    // has accepted all 200, and most registrations are still hashing.
    await accepted[199];
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    // Requests sent after the signal may be answered or refused at the door (the listener closes,
    // and connections the kernel queued but the server never accepted are reset): never half-answered.
    const late: Promise<Outcome>[] = [];
    for (let i = 0; i < 20; i++) late.push(fire(service.port, agent, '/api/auth/jwks.json'));
    const [before, after] = [await Promise.all(accepted), await Promise.all(late)];
    const code = await service.exited;
    const elapsed = Date.now() - signalledAt;
    agent.destroy();

    const broken = before.filter((o) => !o.complete || (o.status !== 201 && o.status !== 200));
    expect(broken, JSON.stringify(broken.slice(0, 5))).to.deep.equal([]);
    expect(after.filter((o) => o.answered && (!o.complete || o.status !== 200)), 'late requests half-answered').to.deep.equal([]);
    expect(before.filter((o) => o.status === 201)).to.have.length(100);
    const finishedAfterSignal = before.filter((o) => o.status === 201 && o.at! > signalledAt).length;
    expect(finishedAfterSignal, 'registrations in flight at the signal, finished during shutdown').to.be.greaterThan(0);
    expect(code, service.output()).to.equal(0);
    expect(elapsed).to.be.below(10_000);
    expect(service.output()).to.include('shutting down').and.include('"step":"http: close"');
  });

  it('a wrong environment value stops it with exit 1 and a message naming the variable', async () => {
    for (const [env, variable] of [[{ PORT: 'abc' }, 'PORT'], [{ PROFILE: 'postgres' }, 'DATABASE_URL'], [{ ADMIN_EMAIL: 'root@example.org' }, 'ADMIN_PASSWORD'], [{ JWT_PRIVATE_KEY: 'not a key' }, 'JWT_PRIVATE_KEY']] as const) {
      const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PROFILE: 'memory', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, JSON.stringify(env)).to.equal(1);
      expect(stderr, JSON.stringify(env)).to.include(`${variable}:`);
      expect(stderr).not.to.include('not a key');
    }
  });

  it('creates the first admin from ADMIN_* at start-up, and warns that a generated key does not survive a restart', async () => {
    const service = await start({ ADMIN_EMAIL: 'root@example.org', ADMIN_PASSWORD: 'correct horse battery', ADMIN_NAME: 'Root', ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' });
    try {
      const agent = new Agent();
      const login = await new Promise<{ status?: number; body: string }>((resolve) => {
        const body = JSON.stringify({ email: 'root@example.org', password: 'correct horse battery' });
        const req = httpRequest({ host: '127.0.0.1', port: service.port, path: '/api/auth/login', method: 'POST', agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => { text += c.toString(); });
          res.on('end', () => resolve({ status: res.statusCode, body: text }));
        });
        req.end(body);
      });
      agent.destroy();
      expect(login.status).to.equal(200);
      expect(JSON.parse(login.body).user).to.include({ role: 'admin', name: 'Root' });
      expect(service.output()).to.include('"outcome":"created"').and.include('JWT_PRIVATE_KEY is not set');
      expect(service.output()).not.to.include('correct horse battery');
    } finally {
      service.child.kill('SIGTERM');
      expect(await service.exited).to.equal(0);
    }
  });
});
