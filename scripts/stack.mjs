#!/usr/bin/env node
/**
 * `npm run stack`: the distributed form of the platform on one machine (DESIGN §6). PostgreSQL,
 * RabbitMQ and nginx come from the machine; every service runs as its own processes at the default
 * instance counts, gRPC between them, the nginx gateway in front on http://localhost:8080.
 *
 *   node scripts/stack.mjs [--user N] [--event N] [--session N] [--speaker N] [--notifier N]
 *                          [--port PORT] [--base-port PORT] [--dir DIR] [--build] [--source-maps] [--help]
 *
 * Environment: STACK_USER, STACK_EVENT, STACK_SESSION, STACK_SPEAKER, STACK_NOTIFIER (counts),
 * STACK_PORT (gateway, 8080), STACK_BASE_PORT (instances, 3100: user 3101…, event 3201…, session
 * 3301… with gRPC 3351…, speaker 3401… with gRPC 3451…, notifier 3501…), STACK_DIR (.stack),
 * PG_ADMIN_URL, AMQP_URL, ADMIN_EMAIL / ADMIN_PASSWORD (the first admin; default
 * admin@conference.local with a generated password kept in .stack/admin.json), LOG_LEVEL,
 * STACK_SOURCE_MAPS=1 (stack traces mapped to the TypeScript sources; off by default, it costs
 * memory and start-up time in every instance), STACK_NODE_FLAGS (replaces INSTANCE_NODE_FLAGS).
 *
 * Also a module: `startStack(options)` starts the same thing and returns a handle with the
 * instances, `kill(service, index)`, `restart(service, index)` and `stop()` (the e2e tests use it).
 */
/* global fetch, AbortController, AbortSignal */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The processes of the platform, in start order (the notifier last: it only consumes). */
export const SERVICES = Object.freeze(['user', 'event', 'session', 'speaker', 'notifier']);
/** DESIGN §1's default instance counts (the notifier is one worker). */
export const DEFAULT_COUNTS = Object.freeze({ user: 3, event: 5, session: 2, speaker: 1, notifier: 1 });
const HOST_DIRS = { user: 'user-service', event: 'event-service', session: 'session-service', speaker: 'speaker-service', notifier: 'notifier' };
/** Services that also serve gRPC (on their block's port + 50). */
const GRPC_SERVICES = new Set(['session', 'speaker']);
const MAX_PER_SERVICE = 49;

/**
 * V8 heap bounds of every instance. Unbounded, V8 grows the young generation under load and keeps
 * what it grew: the event host (109 MiB idle, a live heap of about 15 MiB) was at 250-315 MiB
 * after 20 s of load, 162-209 MiB with 8 MiB semi-spaces, 147-169 MiB with the old space bounded
 * too, for the same req/s within the noise and 5-10% more CPU per request (more collections).
 * 96 and 128 MiB of old space measured alike; 128 leaves more room for a burst.
 * Measured and left out: --single-threaded-gc (7-10% less CPU per request, fewer futex wake-ups,
 * but 185-225 MiB after the bench's load instead of 130-170: no concurrent sweeping).
 */
export const INSTANCE_NODE_FLAGS = Object.freeze(['--max-semi-space-size=8', '--max-old-space-size=128']);

const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_AMQP_URL = 'amqp://127.0.0.1:5672';

/** Thrown for what a person must fix (infrastructure missing, a port taken, an instance not ready). */
export class StackError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StackError';
  }
}

// ------------------------------------------------------------------------------------------ checks

function tcpReachable(host, port, timeoutMs = 2000) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/local/sbin'])) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return null;
}

function hostPortOf(url, defaultPort) {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

/** Every missing piece of infrastructure with the command that gets it; nginx's path when present. */
export async function checkInfrastructure({ pgAdminUrl, amqpUrl }) {
  const problems = [];
  const pg = hostPortOf(pgAdminUrl, 5432);
  if (!(await tcpReachable(pg.host, pg.port))) {
    const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
    const how = versions.length > 0
      ? `pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main start`
      : onPath('pg_ctlcluster') ? 'pg_ctlcluster --skip-systemctl-redirect <version> main start' : 'apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect <version> main start';
    problems.push(`PostgreSQL is not reachable at ${pg.host}:${pg.port} (PG_ADMIN_URL). Start it:\n    ${how}`);
  }
  const mq = hostPortOf(amqpUrl, 5672);
  if (!(await tcpReachable(mq.host, mq.port))) {
    const how = onPath('rabbitmq-server') ? 'rabbitmq-server -detached' : 'apt-get install -y rabbitmq-server && rabbitmq-server -detached';
    problems.push(`RabbitMQ is not reachable at ${mq.host}:${mq.port} (AMQP_URL). Start it:\n    ${how}`);
  }
  const nginx = onPath('nginx');
  if (!nginx) problems.push('nginx is not installed (not on PATH). Install it:\n    apt-get install -y nginx');
  return { problems, nginx };
}

function portFree(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

// ------------------------------------------------------------------------------------------ options

function positiveCount(value, what) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_PER_SERVICE) throw new StackError(`${what}: ${JSON.stringify(value)} is not an instance count (0-${MAX_PER_SERVICE})`);
  return n;
}

function portNumber(value, what) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new StackError(`${what}: ${JSON.stringify(value)} is not a port`);
  return n;
}

/** The service database URL db.js provisions: `<svc>_db` owned by `<svc>_service` (same password rule). */
export function serviceDatabaseUrl(adminUrl, service, env = process.env) {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(`${service}_service`);
  url.password = encodeURIComponent(env[`${service.toUpperCase()}_DB_PASSWORD`] ?? `${service}_service_dev`);
  url.pathname = `/${service}_db`;
  return url.toString();
}

/** The HTTP (and gRPC) port of instance `index` (1-based) of `service`. */
export function instancePorts(basePort, service, index) {
  const http = basePort + SERVICES.indexOf(service) * 100 + index;
  return { port: http, grpcPort: GRPC_SERVICES.has(service) ? http + 50 : undefined };
}

function resolveOptions(options) {
  const env = options.env ?? process.env;
  const counts = {};
  for (const service of SERVICES) {
    const given = options.counts?.[service] ?? env[`STACK_${service.toUpperCase()}`];
    counts[service] = given === undefined || given === '' ? DEFAULT_COUNTS[service] : positiveCount(given, `${service} count`);
  }
  const dir = resolve(options.dir ?? env.STACK_DIR ?? join(ROOT, '.stack'));
  return {
    root: options.root ?? ROOT,
    env,
    counts,
    dir,
    port: portNumber(options.port ?? env.STACK_PORT ?? 8080, 'gateway port'),
    basePort: portNumber(options.basePort ?? env.STACK_BASE_PORT ?? 3100, 'base port'),
    pgAdminUrl: options.pgAdminUrl ?? env.PG_ADMIN_URL ?? DEFAULT_PG_ADMIN_URL,
    amqpUrl: options.amqpUrl ?? env.AMQP_URL ?? DEFAULT_AMQP_URL,
    /** Another exchange and a queue-name suffix keep a second stack's messages apart on a shared broker. */
    amqpExchange: options.amqpExchange ?? env.AMQP_EXCHANGE,
    amqpQueueSuffix: options.amqpQueueSuffix ?? env.AMQP_QUEUE_SUFFIX,
    build: options.build ?? 'auto',
    /** Source maps cost about 12 MiB per instance and start-up time, so they are opted into. */
    sourceMaps: options.sourceMaps ?? /^(1|true|yes|on)$/i.test(env.STACK_SOURCE_MAPS ?? ''),
    nodeFlags: options.nodeFlags ?? (env.STACK_NODE_FLAGS === undefined ? INSTANCE_NODE_FLAGS : env.STACK_NODE_FLAGS.split(/\s+/).filter(Boolean)),
    logLevel: options.logLevel ?? env.LOG_LEVEL ?? 'info',
    readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
    stopTimeoutMs: options.stopTimeoutMs ?? 30_000,
    adminEmail: options.adminEmail ?? env.ADMIN_EMAIL,
    adminPassword: options.adminPassword ?? env.ADMIN_PASSWORD,
    gateway: { authRate: '10r/s', authBurst: 20, ...options.gateway },
    /** Extra environment for every instance, or per service: `{ '*': {...}, event: {...} }`. */
    instanceEnv: options.instanceEnv ?? {},
    log: options.log ?? ((line) => process.stdout.write(`${line}\n`)),
    /** An AbortSignal: aborting it while starting stops what has started and rejects. */
    signal: options.signal,
  };
}

// ------------------------------------------------------------------------------------------ steps

function runNode(o, args, what) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: o.root, env: { ...o.env, PG_ADMIN_URL: o.pgAdminUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(output) : fail(new StackError(`${what} failed (exit ${code}):\n${output.trim()}`))));
  });
}

const mainOf = (o, service) => join(o.root, 'hosts', HOST_DIRS[service], 'dist', 'main.js');

const nodeFlagsOf = (o) => [...o.nodeFlags, ...(o.sourceMaps ? ['--enable-source-maps'] : [])];

async function buildIfNeeded(o) {
  const missing = SERVICES.filter((s) => o.counts[s] > 0 && !existsSync(mainOf(o, s)));
  const keyCli = join(o.root, 'packages/http-kit/dist/cli/generate-signing-key.js');
  if (o.build === true || (o.build === 'auto' && (missing.length > 0 || !existsSync(keyCli)))) {
    o.log(`building (tsc -b)${missing.length > 0 ? `: no build of ${missing.join(', ')} yet` : ''} …`);
    await runNode(o, [join(o.root, 'node_modules/typescript/bin/tsc'), '-b'], 'npx tsc -b');
  }
  const still = SERVICES.filter((s) => o.counts[s] > 0 && !existsSync(mainOf(o, s)));
  if (still.length > 0) throw new StackError(`no entry point after the build: ${still.map((s) => relative(o.root, mainOf(o, s))).join(', ')}`);
}

/** One Ed25519 key for every user-service instance, kept under the stack folder across runs. */
function signingKey(o) {
  const file = join(o.dir, 'signing-key.json');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const jwk = execFileSync(process.execPath, [join(o.root, 'packages/http-kit/dist/cli/generate-signing-key.js'), '--json'], { encoding: 'utf8' }).trim();
  writeFileSync(file, `${jwk}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return jwk;
}

/** The first admin: given, or the one kept under the stack folder, or a new one (saved). */
function adminAccount(o) {
  if (o.adminEmail && o.adminPassword) return { email: o.adminEmail, password: o.adminPassword };
  const file = join(o.dir, 'admin.json');
  const saved = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  const email = o.adminEmail ?? saved?.email ?? 'admin@conference.local';
  if (saved && saved.email === email && !o.adminPassword) return saved;
  const account = { email, password: o.adminPassword ?? randomBytes(12).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  return account;
}

function tailOf(file, lines = 15) {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function answers(url, timeoutMs = 2000) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

// ------------------------------------------------------------------------------------------ the stack

/**
 * Starts the stack and resolves once every instance answers /ready with 200 through its own port
 * and the gateway answers. Rejects with a StackError (everything started so far stopped again)
 * when infrastructure is missing or an instance does not become ready in time.
 */
export async function startStack(options = {}) {
  const startedAt = Date.now();
  const o = resolveOptions(options);
  const { problems, nginx } = await checkInfrastructure(o);
  if (problems.length > 0) throw new StackError(`cannot start the stack:\n  ${problems.join('\n  ')}`);

  const logDir = join(o.dir, 'logs');
  const mailboxDir = join(o.dir, 'mailbox');
  const nginxDir = join(o.dir, 'nginx');
  for (const dir of [o.dir, logDir, mailboxDir, nginxDir]) mkdirSync(dir, { recursive: true });

  // Every port before anything starts: a taken one is a clear message, not a crash-looping instance.
  const wanted = [o.port];
  for (const service of SERVICES) {
    for (let i = 1; i <= o.counts[service]; i++) {
      const p = instancePorts(o.basePort, service, i);
      wanted.push(p.port, ...(p.grpcPort ? [p.grpcPort] : []));
    }
  }
  const taken = [];
  for (const p of wanted) if (!(await portFree(p))) taken.push(p);
  if (taken.length > 0) throw new StackError(`port(s) already in use: ${taken.join(', ')} (another stack running? choose others with --port / --base-port)`);

  await buildIfNeeded(o);
  o.log('provisioning and migrating the databases (scripts/db.js migrate) …');
  const chosen = SERVICES.filter((s) => o.counts[s] > 0);
  await runNode(o, [join(o.root, 'scripts/db.js'), 'migrate', ...chosen], 'scripts/db.js migrate');

  const jwk = signingKey(o);
  const admin = adminAccount(o);
  const gatewayUrl = `http://127.0.0.1:${o.port}`;

  const addressesOf = (service, kind = 'port') => Array.from({ length: o.counts[service] }, (_, i) => `127.0.0.1:${instancePorts(o.basePort, service, i + 1)[kind]}`);
  const grpcTarget = (service) => (o.counts[service] > 0 ? `ipv4:${addressesOf(service, 'grpcPort').join(',')}` : 'ipv4:127.0.0.1:1');

  /** Every instance's environment: the machine's, then the stack's (PROFILE=postgres and the wiring). */
  const envOf = (service, index) => {
    const { port, grpcPort } = instancePorts(o.basePort, service, index);
    const env = {
      ...o.env,
      PROFILE: 'postgres',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: serviceDatabaseUrl(o.pgAdminUrl, service, o.env),
      AMQP_URL: o.amqpUrl,
      // Through the gateway (started first), so the keys stay reachable whichever user instance is down.
      JWKS_URL: `${gatewayUrl}/api/auth/jwks.json`,
      TRUST_PROXY: 'true',
      LOG_LEVEL: o.logLevel,
      // 13 processes share one PostgreSQL (max_connections is 100 by default): 5 each leaves room
      // for migrations, scripts and tests. STACK_DB_POOL_SIZE raises it with the server's limit.
      DB_POOL_SIZE: o.env.STACK_DB_POOL_SIZE ?? '5',
      ...(grpcPort ? { GRPC_PORT: String(grpcPort) } : {}),
      ...(o.amqpExchange ? { AMQP_EXCHANGE: o.amqpExchange } : {}),
      ...(o.amqpQueueSuffix ? { AMQP_QUEUE_SUFFIX: o.amqpQueueSuffix } : {}),
      ...o.instanceEnv['*'],
      ...o.instanceEnv[service],
    };
    if (service === 'user') Object.assign(env, { JWT_PRIVATE_KEY: jwk, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    if (service === 'event') env.SESSION_GRPC_TARGET = grpcTarget('session');
    if (service === 'session') env.SPEAKER_GRPC_TARGET = grpcTarget('speaker');
    if (service === 'notifier') env.MAILBOX_DIR = mailboxDir;
    return env;
  };

  const instances = [];
  for (const service of SERVICES) {
    for (let index = 1; index <= o.counts[service]; index++) {
      const { port, grpcPort } = instancePorts(o.basePort, service, index);
      instances.push({ service, index, name: `${service}-${index}`, port, grpcPort, logFile: join(logDir, `${service}-${index}.log`), process: null, pid: undefined, exited: null });
    }
  }
  const find = (service, index) => {
    const instance = instances.find((i) => i.service === service && i.index === index);
    if (!instance) throw new StackError(`no instance ${service}-${index} (counts: ${JSON.stringify(o.counts)})`);
    return instance;
  };

  let stopping = false;
  const spawnInstance = (instance) => {
    const fd = openSync(instance.logFile, 'a');
    try {
      // Its own process group: a Ctrl-C in the terminal reaches the runner only, which stops the
      // instances in order (they would otherwise get SIGINT at the same moment as nginx).
      const child = spawn(process.execPath, [...nodeFlagsOf(o), mainOf(o, instance.service)], {
        cwd: o.root, env: envOf(instance.service, instance.index), stdio: ['ignore', fd, fd], detached: true,
      });
      instance.process = child;
      instance.pid = child.pid;
      instance.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
      instance.exited.then(({ code, signal }) => {
        if (instance.process === child) instance.process = null;
        if (!stopping && !instance.expectedExit) o.log(`! ${instance.name} exited (${signal ?? `code ${code}`}); see ${instance.logFile}`);
      });
      instance.expectedExit = false;
    } finally {
      closeSync(fd);
    }
  };

  // nginx first: the instances fetch the JWKS through it, and it answers 503 problems meanwhile.
  const render = await import(pathToFileURL(join(o.root, 'docker/nginx/render.mjs')).href);
  const upstreams = Object.fromEntries(SERVICES.map((s) => [s, addressesOf(s)]));
  const config = render.renderNginxConfig({ listen: o.port, upstreams, ...o.gateway });
  for (const sub of ['logs', 'tmp']) mkdirSync(join(nginxDir, sub), { recursive: true });
  writeFileSync(join(nginxDir, 'nginx.conf'), config);
  const nginxLog = join(logDir, 'nginx.log');
  const nginxFd = openSync(nginxLog, 'a');
  const nginxProcess = spawn(nginx, ['-e', 'stderr', '-p', nginxDir, '-c', join(nginxDir, 'nginx.conf')], { cwd: o.root, stdio: ['ignore', nginxFd, nginxFd], detached: true });
  closeSync(nginxFd);
  const nginxExited = new Promise((done) => nginxProcess.once('exit', (code, signal) => done({ code, signal })));
  let nginxStopped = false;
  nginxExited.then(({ code, signal }) => {
    if (!nginxStopped) o.log(`! nginx exited (${signal ?? `code ${code}`}); see ${nginxLog}`);
  });

  const all = () => [...instances.map((i) => i.process).filter(Boolean), nginxProcess];
  // Last resort if the runner dies without stop(): no orphans.
  const killAll = () => {
    for (const child of all()) {
      try {
        child.kill('SIGKILL');
      } catch { /* already gone */ }
    }
  };
  process.once('exit', killAll);

  const signalAndWait = async (child, exited, timeoutMs, signal = 'SIGTERM') => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    // The timer is cancelled once the child is gone, so it keeps no caller's event loop alive.
    const timer = new AbortController();
    const outcome = await Promise.race([exited, delay(timeoutMs, null, { signal: timer.signal }).catch(() => undefined)]);
    timer.abort();
    if (outcome === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(instances.map((i) => signalAndWait(i.process, i.exited, o.stopTimeoutMs)));
    nginxStopped = true;
    await signalAndWait(nginxProcess, nginxExited, 10_000, 'SIGQUIT');
    process.removeListener('exit', killAll);
  };

  /** Resolves when `instance` answers /ready with 200; rejects naming it, with its log's tail. */
  const waitReady = async (instance, deadline) => {
    for (;;) {
      if (o.signal?.aborted) throw new StackError('interrupted while starting');
      if (!instance.process) {
        const { code, signal } = await instance.exited;
        throw new StackError(`${instance.name} exited (${signal ?? `code ${code}`}) before it was ready. Last lines of ${instance.logFile}:\n${tailOf(instance.logFile)}`);
      }
      if ((await answers(`http://127.0.0.1:${instance.port}/ready`)) === 200) return;
      if (Date.now() > deadline) {
        throw new StackError(`${instance.name} (port ${instance.port}) not ready after ${Math.round(o.readyTimeoutMs / 1000)} s. Last lines of ${instance.logFile}:\n${tailOf(instance.logFile)}`);
      }
      await delay(250);
    }
  };

  const gatewayReady = async (deadline) => {
    for (;;) {
      if (o.signal?.aborted) throw new StackError('interrupted while starting');
      if (nginxProcess.exitCode !== null || nginxProcess.signalCode !== null) throw new StackError(`nginx exited at start. ${nginxLog}:\n${tailOf(nginxLog)}`);
      if ((await answers(`${gatewayUrl}/gateway/health`)) === 200) return;
      if (Date.now() > deadline) throw new StackError(`nginx does not answer on ${gatewayUrl} after ${Math.round(o.readyTimeoutMs / 1000)} s. ${nginxLog}:\n${tailOf(nginxLog)}`);
      await delay(100);
    }
  };

  try {
    const deadline = Date.now() + o.readyTimeoutMs;
    await gatewayReady(deadline);
    o.log(`starting ${instances.length} instances: ${SERVICES.filter((s) => o.counts[s] > 0).map((s) => `${s}×${o.counts[s]}`).join(', ')} …`);
    for (const instance of instances) spawnInstance(instance);
    // All at once; a failure names the instance that is not ready (the laggard) with its log tail.
    await Promise.all(instances.map((instance) => waitReady(instance, deadline)));
  } catch (error) {
    await stop();
    throw error;
  }

  // The first admin is created once per database: an account left by an earlier stack (another
  // folder, another generated password) keeps its own password. Say so rather than print a wrong one.
  admin.verified = o.counts.user === 0 ? null : await fetch(`${gatewayUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: admin.password }), signal: AbortSignal.timeout(10_000),
  }).then(async (response) => {
    await response.arrayBuffer();
    return response.status === 200;
  }, () => false);

  const restart = async (service, index, { timeoutMs = o.readyTimeoutMs } = {}) => {
    const instance = find(service, index);
    if (instance.process) await kill(service, index);
    spawnInstance(instance);
    await waitReady(instance, Date.now() + timeoutMs);
    return instance;
  };
  const kill = async (service, index, signal = 'SIGTERM') => {
    const instance = find(service, index);
    instance.expectedExit = true;
    await signalAndWait(instance.process, instance.exited, o.stopTimeoutMs, signal);
    return instance;
  };

  return {
    url: `http://localhost:${o.port}`,
    /** 127.0.0.1 rather than localhost: no IPv6 attempt first (nginx listens on IPv4). */
    gatewayUrl,
    port: o.port,
    dir: o.dir,
    logDir,
    mailboxDir,
    nginxDir,
    admin,
    counts: { ...o.counts },
    instances,
    startupMs: Date.now() - startedAt,
    nginx: nginxProcess,
    /** Every process id the stack started (nginx's master included) that is still running. */
    pids: () => all().filter((c) => c.exitCode === null && c.signalCode === null).map((c) => c.pid),
    instance: find,
    kill,
    restart,
    stop,
  };
}

// ------------------------------------------------------------------------------------------ command line

const USAGE = `usage: node scripts/stack.mjs [options]     (npm run stack [-- options])
  --user N --event N --session N --speaker N --notifier N   instances per service (default ${SERVICES.map((s) => `${s} ${DEFAULT_COUNTS[s]}`).join(', ')}; env STACK_USER …)
  --port PORT        the gateway's port (default 8080; env STACK_PORT)
  --base-port PORT   instance ports from here (default 3100: user 3101…, event 3201…, session 3301…/gRPC 3351…, speaker 3401…/gRPC 3451…, notifier 3501; env STACK_BASE_PORT)
  --dir DIR          state folder: signing key, admin account, logs, mailbox, nginx (default .stack; env STACK_DIR)
  --build            run tsc -b first even when a build exists
  --source-maps      instances map stack traces to the TypeScript sources (more memory per instance; env STACK_SOURCE_MAPS=1)
Instances run with node ${INSTANCE_NODE_FLAGS.join(' ')} (env STACK_NODE_FLAGS replaces them).
Also read: PG_ADMIN_URL, AMQP_URL, ADMIN_EMAIL, ADMIN_PASSWORD, <SERVICE>_DB_PASSWORD, LOG_LEVEL.
Ctrl-C (or SIGTERM) stops every instance, then nginx.`;

function parseArgs(argv) {
  const options = { counts: {} };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new StackError(`${flag} needs a value`);
      return v;
    };
    const name = flag.replace(/^--/, '');
    if (SERVICES.includes(name)) options.counts[name] = positiveCount(value(), flag);
    else if (flag === '--port') options.port = value();
    else if (flag === '--base-port') options.basePort = value();
    else if (flag === '--dir') options.dir = value();
    else if (flag === '--build') options.build = true;
    else if (flag === '--source-maps') options.sourceMaps = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new StackError(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let stack;
  let interrupted = false;
  const starting = new AbortController();
  const onSignal = async (signal) => {
    if (interrupted) return;
    interrupted = true;
    if (!stack) {
      // Still starting: startStack stops what it started and rejects; main reports it and exits 0.
      process.stdout.write(`\n${signal}: stopping what has started …\n`);
      starting.abort();
      return;
    }
    process.stdout.write(`\n${signal}: stopping the instances, then nginx …\n`);
    await stack.stop();
    process.stdout.write('stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    stack = await startStack({ ...options, signal: starting.signal });
  } catch (error) {
    if (!interrupted) throw error;
    process.stdout.write('stopped.\n');
    process.exit(0);
  }
  if (interrupted) {
    await stack.stop();
    process.exit(0);
  }
  const rel = (p) => relative(process.cwd(), p) || '.';
  const byService = SERVICES.filter((s) => stack.counts[s] > 0).map((s) => {
    const ports = stack.instances.filter((i) => i.service === s).map((i) => i.port);
    return `${s}×${ports.length} (${ports.length > 1 ? `${ports[0]}-${ports.at(-1)}` : ports[0]})`;
  });
  process.stdout.write([
    '',
    `conference platform up in ${(stack.startupMs / 1000).toFixed(1)} s`,
    `  gateway    ${stack.url}`,
    `  instances  ${byService.join(', ')}`,
    `  logs       ${rel(stack.logDir)}/<service>-<n>.log (JSON lines), nginx: ${rel(join(stack.nginxDir, 'logs'))}/access.log`,
    `  mailbox    ${rel(stack.mailboxDir)}`,
    `  admin      ${stack.admin.email} / ${stack.admin.password}${stack.admin.verified === false
      ? `\n             ! this password does not log in: the account already existed (an earlier stack with another folder?)\n               and keeps its password. Use that one, or start with ADMIN_EMAIL=<a new address>.` : ''}`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`stack: ${error instanceof StackError ? error.message : (error?.stack ?? String(error))}\n`);
    process.exit(1);
  });
}
