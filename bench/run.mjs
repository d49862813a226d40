#!/usr/bin/env node
/**
 * `npm run bench`: throughput, latency, message propagation and resource use of the distributed
 * platform (scripts/stack.mjs), side by side with two baselines measured in the same run through the
 * same nginx: a fixed 200 answered by nginx itself, and a minimal Koa + pg process reading the same
 * event row (bench/baseline-koa.mjs). Writes bench/RESULTS.md.
 *
 *   source scripts/node24.sh && npm run bench [-- --duration 10 --connections 50 --warmup 3]
 *
 * Options: --duration S, --connections N, --warmup S (every autocannon target alike);
 * --enroll-rate N, --enroll-seconds S (enrollment propagation); --messages N (outbox → consumer);
 * --db-pool N (DB_POOL_SIZE per instance, 6: the default 10 × 12 instances exceeds max_connections);
 * --profile (every instance under node --cpu-prof; summaries in bench/profile/, RESULTS.md untouched);
 * --only KEY,KEY (only these phases: the HTTP targets fixed, koa, event, list, session, create, and
 *   enroll, messages; figures in the log only, RESULTS.md untouched; with --profile or alone);
 * --one-instance (with --only: one instance per service instead of the default counts);
 * --keep (keep the temporary stack folder: logs, profiles).
 *
 * The service databases are compacted after seeding and vacuumed before each phase that writes: this
 * machine's PostgreSQL runs with autovacuum = off (see vacuumServiceDatabases).
 *
 * Environment: PG_ADMIN_URL, AMQP_URL (as the stack), BENCH_PORT (gateway, 18080),
 * BENCH_BASE_PORT (instances, 23000). Starts its own stack in a temporary folder with its own
 * RabbitMQ exchange and queue suffix (deleted at the end), so it never disturbs a running stack.
 * Everything it starts is stopped in a `finally`, and the stack and baseline also on SIGINT/SIGTERM.
 */
/* global fetch, AbortSignal */
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, hostname, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { SignJWT, importJWK } from 'jose';
import { connect as amqpConnect } from 'amqplib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const now = () => performance.timeOrigin + performance.now();

// ------------------------------------------------------------------ options

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const DURATION = opt('duration', 10);
const CONNECTIONS = opt('connections', 50);
const WARMUP = opt('warmup', 3);
const ENROLL_RATE = opt('enroll-rate', 200);
const ENROLL_SECONDS = opt('enroll-seconds', 10);
const MESSAGES = opt('messages', 10_000);
/**
 * DB_POOL_SIZE of every instance. The services' default (10) × 12 instances = 120 connections, more
 * than PostgreSQL's default max_connections (100): under load instances fail to connect (503s, and
 * the notifier retries). 6 × 12 = 72 leaves room for the baseline (10) and the bench's own clients.
 */
const DB_POOL = opt('db-pool', 6);
/** --profile: every instance (and each cold start) under `node --cpu-prof`; summaries go to bench/profile/, RESULTS.md is left alone. */
const PROFILE = args.includes('--profile');
/** --only KEY,KEY: only these HTTP targets (fixed, koa, event, list, session, create), and nothing else (for profiling). */
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const wanted = (key) => !ONLY || ONLY.includes(key);
/** --no-sized skips it: the reads again with one instance per service. */
const SIZED_COUNTS = Object.freeze({ user: 1, event: 1, session: 1, speaker: 1, notifier: 1 });
/** --one-instance (with --only): the phases on a stack of one instance per service instead of the default counts. */
const ONE_INSTANCE = args.includes('--one-instance');
const SEED = { users: 20_000, events: 1_000, sessions: 5_000, speakers: 2_000 };
const PORT = Number(process.env.BENCH_PORT ?? 18080);
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 23000);
const KOA_PORT = BASE_PORT + 900;
const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://127.0.0.1:5672';
/** Every row the bench seeds hangs off this organizer, so the next run removes them first. */
const ORGANIZER_ID = '00000000-0000-4000-8000-00000000b3c4';
const BENCH_DOMAIN = 'bench.example';

const log = (line) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const dbUrl = (db) => {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${db}`;
  return url.toString();
};
const pct = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const round = (n, d = 1) => (Number.isFinite(n) ? Number(n.toFixed(d)) : n);

// ------------------------------------------------------------------ machine

function machine() {
  const sh = (cmd, cmdArgs) => {
    try {
      return execFileSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (error) {
      return (error.stderr?.toString() || error.message).trim();
    }
  };
  const nginxV = (() => {
    try {
      return execFileSync('nginx', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (e) {
      return String(e.stderr ?? '').trim();
    }
  })();
  let nginxVersion = nginxV;
  try {
    const r = spawnSyncStderr('nginx', ['-v']);
    if (r) nginxVersion = r;
  } catch { /* keep */ }
  return {
    host: hostname(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? '?',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    kernel: sh('uname', ['-sr']),
    os: sh('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    loadBefore: loadavg().map((l) => l.toFixed(2)).join(' '),
    nginx: nginxVersion.replace(/^nginx version: /, ''),
  };
}

function spawnSyncStderr(cmd, cmdArgs) {
  const out = execFileSync('sh', ['-c', `${cmd} ${cmdArgs.join(' ')} 2>&1`], { encoding: 'utf8' });
  return out.trim();
}

// ------------------------------------------------------------------ seeding

async function withDb(db, fn) {
  const client = new pg.Client({ connectionString: dbUrl(db) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const SERVICE_DATABASES = ['user_db', 'event_db', 'session_db', 'speaker_db', 'notifier_db'];

/**
 * Classic queues version 2 for the run's own queues: a policy on the local broker matching the run's
 * queue suffix, cleared at the end. docker-compose and Kubernetes run RabbitMQ 4, whose classic
 * queues are all version 2; this machine's Debian RabbitMQ 3.10 makes version 1 queues unless told
 * otherwise, and version 1 was the relay's limit (interleaved `--only messages`: 2,118 / 1,907 msg/s
 * with version 2, 1,654 / 1,834 with version 1). A queue argument cannot do it: `x-queue-version` is
 * checked when a queue is declared again, so every existing queue would refuse the new declaration.
 * Returns what the run's queues are, for RESULTS.md.
 */
function queueVersionPolicy(suffix, on) {
  const name = `conference-bench-${suffix}`;
  const host = new URL(AMQP_URL).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return 'the broker\'s default (not local: no policy set)';
  try {
    execFileSync('rabbitmqctl', on
      ? ['set_policy', '--apply-to', 'queues', name, `\\.${suffix}(\\.|$)`, '{"queue-version":2}']
      : ['clear_policy', name], { stdio: 'ignore' });
    return 'classic queues version 2 (a policy on the run\'s queues, as RabbitMQ 4 has only)';
  } catch {
    return 'the broker\'s default (rabbitmqctl could not set the policy)';
  }
}

/**
 * VACUUM (ANALYZE) of every service database — `full` rewrites the tables too. This machine's
 * PostgreSQL runs with autovacuum = off (conf.d/90-ci.conf, for the test runs), and the bench's
 * databases outlive a run: without it every update, delete and published outbox row of every earlier
 * run stays behind. After a day of runs the events table held 120,000 dead versions of 1,003 rows
 * (80 MB), the relay's read of the unpublished outbox rows walked 850 index pages to find none, and
 * once ANALYZE had counted the bloated pages, locking a burst's events took 108 ms (a scan) instead
 * of a few index probes. The bench compacts the databases once after seeding (a server with
 * autovacuum would never be that bloated) and vacuums before each phase that writes, as autovacuum
 * would between bursts. The full pass holds each table's exclusive lock for a moment: a stack of
 * `npm run stack` on the same databases waits that long.
 */
async function vacuumServiceDatabases({ full = false } = {}) {
  const started = now();
  for (const db of SERVICE_DATABASES) await withDb(db, (c) => c.query(full ? 'VACUUM (FULL, ANALYZE)' : 'VACUUM (ANALYZE)'));
  return now() - started;
}

async function seed() {
  const t0 = now();
  const data = {
    organizer: { id: ORGANIZER_ID, email: `organizer@${BENCH_DOMAIN}` },
    users: Array.from({ length: SEED.users }, (_, i) => ({ id: randomUUID(), email: `user-${i}@${BENCH_DOMAIN}`, name: `Bench User ${i}` })),
    events: Array.from({ length: SEED.events }, () => randomUUID()),
    speakers: Array.from({ length: SEED.speakers }, () => randomUUID()),
    sessions: Array.from({ length: SEED.sessions }, () => randomUUID()),
  };

  // Users: one password hash reused (the stack's admin's argon2 hash: nobody logs in as these users).
  await withDb('user_db', async (c) => {
    await c.query(`DELETE FROM users WHERE email_key LIKE $1 OR id = $2`, [`%@${BENCH_DOMAIN}`, ORGANIZER_ID]);
    const { rows } = await c.query(`SELECT password_hash FROM users WHERE password_hash <> '' LIMIT 1`);
    const hash = rows[0]?.password_hash ?? '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hzYWx0YmVuY2g$YmVuY2hoYXNoYmVuY2hoYXNoYmVuY2hoYXNo';
    const all = [{ id: ORGANIZER_ID, email: data.organizer.email, name: 'Bench Organizer', role: 'organizer' }, ...data.users.map((u) => ({ ...u, role: 'attendee' }))];
    for (let i = 0; i < all.length; i += 5000) {
      const chunk = all.slice(i, i + 5000);
      await c.query(
        `INSERT INTO users (id, email, email_key, name, password_hash, role, created_at, updated_at, version)
         SELECT id, email, lower(email), name, $5, role, now(), now(), 1
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(id, email, name, role)`,
        [chunk.map((u) => u.id), chunk.map((u) => u.email), chunk.map((u) => u.name), chunk.map((u) => u.role), hash],
      );
    }
  });

  // Events: published, in the future, with room for every enrollment the bench makes.
  await withDb('event_db', async (c) => {
    await c.query(`DELETE FROM user_events WHERE event_id IN (SELECT id FROM events WHERE organizer_id = $1)`, [ORGANIZER_ID]);
    await c.query(`DELETE FROM event_sessions WHERE event_id IN (SELECT id FROM events WHERE organizer_id = $1)`, [ORGANIZER_ID]);
    await c.query(`DELETE FROM events WHERE organizer_id = $1`, [ORGANIZER_ID]);
    await c.query(
      `INSERT INTO events (id, organizer_id, title, description, venue, starts_at, ends_at, capacity, status, seats_taken, created_at, updated_at, version)
       SELECT id, $2, 'Bench Conference ' || n, repeat('A realistic description of the conference. ', 10), 'Hall ' || (n % 17),
              now() + interval '30 days' + n * interval '1 hour', now() + interval '32 days' + n * interval '1 hour',
              100000, 'published', 0, now(), now(), 1
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [data.events, ORGANIZER_ID],
    );
    await c.query('ANALYZE events');
  });

  await withDb('speaker_db', async (c) => {
    await c.query(`DELETE FROM speakers WHERE created_by = $1`, [ORGANIZER_ID]);
    await c.query(
      `INSERT INTO speakers (id, name, headline, bio, company, links, user_id, created_by, created_at, updated_at, version)
       SELECT id, 'Speaker ' || n, 'Principal engineer', repeat('Speaks about distributed systems. ', 8), 'Company ' || (n % 97),
              '[{"label":"site","url":"https://example.org"}]'::jsonb, NULL, $2, now(), now(), 1
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [data.speakers, ORGANIZER_ID],
    );
    await c.query('ANALYZE speakers');
  });

  // Sessions: 5 per event, 1-3 speakers each.
  await withDb('session_db', async (c) => {
    await c.query(`DELETE FROM sessions WHERE owner_id = $1`, [ORGANIZER_ID]);
    const eventOf = data.sessions.map((_, i) => data.events[i % data.events.length]);
    await c.query(
      `INSERT INTO sessions (id, event_id, owner_id, title, abstract, starts_at, ends_at, room, room_key, created_at, updated_at, version)
       SELECT id, event_id, $3, 'Session ' || n, repeat('What this talk is about. ', 12),
              now() + interval '40 days' + n * interval '1 hour', now() + interval '40 days' + n * interval '1 hour' + interval '45 minutes',
              'Room ' || (n % 5), 'room ' || (n % 5), now(), now(), 1
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(id, event_id, n)`,
      [data.sessions, eventOf, ORGANIZER_ID],
    );
    const ss = { session: [], speaker: [], position: [] };
    data.sessions.forEach((id, i) => {
      const count = 1 + (i % 3);
      for (let p = 0; p < count; p++) {
        ss.session.push(id);
        ss.speaker.push(data.speakers[(i * 3 + p) % data.speakers.length]);
        ss.position.push(p);
      }
    });
    await c.query(
      `INSERT INTO session_speakers (session_id, speaker_id, position) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::smallint[])`,
      [ss.session, ss.speaker, ss.position],
    );
    await c.query('ANALYZE sessions; ANALYZE session_speakers');
  });
  data.seedMs = now() - t0;
  data.sessionSpeakerRows = data.sessions.reduce((n, _, i) => n + 1 + (i % 3), 0);
  return data;
}

// ------------------------------------------------------------------ tokens

async function tokenSigner(stackDir) {
  const jwk = JSON.parse(readFileSync(join(stackDir, 'signing-key.json'), 'utf8'));
  const key = await importJWK(jwk, 'EdDSA');
  return (sub, role, email) =>
    new SignJWT({ role, email, sid: randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: jwk.kid })
      .setSubject(sub)
      .setIssuer('urn:conference:user-service')
      .setAudience('urn:conference:api')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(key);
}

// ------------------------------------------------------------------ nginx: the baselines in the stack's own gateway

function addBaselines(config) {
  const upstream = `  # bench/run.mjs: the minimal Koa + pg baseline, kept like the services' upstreams.
  upstream bench_koa {
    zone bench_koa 64k;
    server 127.0.0.1:${KOA_PORT} max_fails=2 fail_timeout=10s;
    keepalive 16;
    keepalive_timeout 60s;
  }

  server {
`;
  const locations = `    # bench/run.mjs baselines: nginx's own fixed 200, and the Koa + pg process.
    location = /bench/fixed {
      default_type application/json;
      add_header X-Request-Id $conference_request_id always;
      return 200 '{"status":"ok"}';
    }
    location ~ ^/bench/koa/ {
      set $conference_service bench_koa;
      add_header X-Request-Id $conference_request_id always;
      proxy_pass http://bench_koa;
    }

    # Anything else is not ours`;
  if (!config.includes('\n  server {\n') || !config.includes('    # Anything else is not ours')) throw new Error('the rendered nginx.conf changed shape: cannot add the baselines');
  return config.replace('\n  server {\n', `\n${upstream}`).replace('    # Anything else is not ours', locations);
}

// ------------------------------------------------------------------ load

async function cannon(name, url, { method = 'GET', setupRequest, headers, expect = 200, key, primeRequests = 0 } = {}) {
  if (!wanted(key)) return { name, rps: NaN, p50: NaN, p99: NaN, total: 0, ok: 0, non2xx: 0, errors: 0, expect, cpu: null };
  const base = { url, connections: CONNECTIONS, method, headers, requests: setupRequest ? [{ method, setupRequest }] : undefined };
  // Once through the whole id space first, where a target keeps a per-instance cache: the measure is of
  // the steady state, not of how fast the warm-up happened to fill the caches (which depends on the machine's speed).
  if (primeRequests > 0) await autocannon({ ...base, amount: primeRequests });
  if (WARMUP > 0) await autocannon({ ...base, duration: WARMUP });
  const before = cpuSnapshot();
  const r = await autocannon({ ...base, duration: DURATION });
  const cpu = cpuDelta(before, cpuSnapshot());
  const ok = r['2xx'];
  const result = {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    ok,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    expect,
    cpu,
  };
  log(`${name}: ${round(result.rps, 0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms (2xx ${ok}, non-2xx ${r.non2xx}, errors ${result.errors})`);
  log(`  CPU ms/req: ${describeCpu(cpu, result.total)}`);
  return result;
}

/** CPU ms per unit of work by process group (groups under 0.005 ms left out), and the cores busy. */
function describeCpu(cpu, units) {
  const total = Object.values(cpu.cpuMs).reduce((a, b) => a + b, 0);
  const groups = Object.entries(cpu.cpuMs).filter(([, ms]) => ms / units >= 0.005).map(([group, ms]) => `${group} ${round(ms / units, 3)}`);
  return `${groups.join(', ')}; total ${round(total / units, 3)}, ${round(total / cpu.wallMs, 2)} cores busy`;
}

// ------------------------------------------------------------------ enrollment propagation

/** POST a JSON body through `agent`; resolves with the status once the body is read (10 s timeout). */
function postJson(agent, url, headers, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolvePost, rejectPost) => {
    const req = httpRequest(url, {
      method: 'POST', agent, timeout: 10_000,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolvePost(res.statusCode));
      res.on('error', rejectPost);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    req.on('error', rejectPost);
    req.end(payload);
  });
}

/** `pass` 0, 1, …: each pass enrolls other users in other events, so their outcomes never mix. */
async function enrollmentPropagation(gateway, data, sign, pass = 0) {
  const total = ENROLL_RATE * ENROLL_SECONDS;
  const events = data.events.slice(20 * pass, 20 * (pass + 1));
  const users = data.users.slice(total * pass, total * (pass + 1));
  const tokens = await Promise.all(users.map((u) => sign(u.id, 'attendee', u.email)));
  const sent = new Map();
  const acceptMs = [];
  let failures = 0;
  const failedStatuses = {};
  const inflight = [];
  // A keep-alive pool like a real client's (fetch opened a socket per outstanding request: ~1.3 ms of
  // the load generator's CPU per enrollment on the same 2 cores, and resets past nginx's worker_connections).
  const enrollAgent = new Agent({ keepAlive: true, maxSockets: 64 });
  const transactionsBefore = await transactionsByDatabase();
  const start = now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / ENROLL_RATE;
    const wait = due - now();
    if (wait > 1) await delay(wait);
    const user = users[i];
    const eventId = events[i % events.length];
    const t = now();
    sent.set(`${eventId}/${user.id}`, t);
    inflight.push(postJson(enrollAgent, `${gateway}/api/users/me/enrollments`, { authorization: `Bearer ${tokens[i]}` }, { eventId }).then((status) => {
      if (status !== 202) {
        failures++;
        failedStatuses[status] = (failedStatuses[status] ?? 0) + 1;
      }
      else acceptMs.push(now() - t);
    }, (error) => {
      failures++;
      const why = `${error.name}${error.code ? `:${error.code}` : ''}`;
      failedStatuses[why] = (failedStatuses[why] ?? 0) + 1;
    }));
  }
  const sendSeconds = (now() - start) / 1000;
  await Promise.all(inflight);
  enrollAgent.destroy();
  // Every outcome recorded (or 30 s).
  const rows = await withDb('event_db', async (c) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows: r } = await c.query(
        `SELECT event_id, user_id, status, extract(epoch FROM created_at) * 1000 AS created_ms, extract(epoch FROM requested_at) * 1000 AS requested_ms
         FROM user_events WHERE event_id = ANY($1::uuid[])`, [events]);
      if (r.length >= total - failures || Date.now() > deadline) return r;
      await delay(100);
    }
  });
  const latencies = [];
  const serviceLatencies = [];
  const statuses = {};
  for (const row of rows) {
    const t = sent.get(`${row.event_id}/${row.user_id}`);
    if (t === undefined) continue;
    latencies.push(Number(row.created_ms) - t);
    serviceLatencies.push(Number(row.created_ms) - Number(row.requested_ms));
    statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  serviceLatencies.sort((a, b) => a - b);
  acceptMs.sort((a, b) => a - b);
  const result = {
    total, failures, failedStatuses, recorded: latencies.length, statuses, achievedRate: total / sendSeconds, transactionsBefore,
    p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies.at(-1),
    fromRequestedAtP50: pct(serviceLatencies, 50), fromRequestedAtP99: pct(serviceLatencies, 99),
    acceptP50: pct(acceptMs, 50), acceptP99: pct(acceptMs, 99),
  };
  log(`enrollment propagation at ${round(result.achievedRate, 0)}/s: p50 ${round(result.p50)} ms, p99 ${round(result.p99)} ms (${result.recorded}/${total} recorded, ${failures} failed ${JSON.stringify(failedStatuses)}; 202 p99 ${round(result.acceptP99)} ms)`);
  return result;
}

const describeTransactions = (perUnit) => Object.entries(perUnit ?? {}).filter(([, t]) => t > 0).map(([db, t]) => `${db} ${t}`).join(', ') || '—';

/**
 * PostgreSQL transactions per enrollment of a finished enrollment phase, by database: read after
 * the phase (outside its CPU accounting), since backends report their counts within a second of
 * going idle.
 */
async function withTransactionsPerEnrollment(result) {
  await delay(1500);
  const after = await transactionsByDatabase();
  const { transactionsBefore, ...rest } = result;
  const transactionsPerEnrollment = Object.fromEntries(Object.entries(after)
    .map(([db, count]) => [db, round((count - (transactionsBefore[db] ?? 0)) / result.total, 2)]));
  log(`  PostgreSQL transactions per enrollment (pg_stat_database, every statement outside a transaction counts as one): ${Object.entries(transactionsPerEnrollment).map(([db, t]) => `${db} ${t}`).join(', ')}`);
  return { ...rest, transactionsPerEnrollment };
}

// ------------------------------------------------------------------ messages/s through outbox → RabbitMQ → consumer

/**
 * How often the messages phase looks whether everything arrived. The figures come from the rows'
 * own timestamps (max created_at / received_at), not from when a poll saw them, so a slow poll costs
 * no precision; a fast one cost PostgreSQL CPU the pipeline was being measured on (counting 10,000
 * audit rows by id every 100 ms was a quarter of PostgreSQL's time in the phase).
 */
const POLL_MS = 500;

/** Committed and rolled back transactions so far, by service database. */
async function transactionsByDatabase() {
  return withDb('postgres', async (c) => Object.fromEntries((await c.query(
    `SELECT datname, (xact_commit + xact_rollback)::bigint AS n FROM pg_stat_database WHERE datname = ANY($1::text[])`,
    [SERVICE_DATABASES])).rows.map((r) => [r.datname, Number(r.n)])));
}

async function messageThroughput(data) {
  const n = MESSAGES;
  const events = data.events.slice(100, 300);
  const users = data.users.slice(SEED.users - n);
  const template = await withDb('user_db', async (c) => (await c.query(`SELECT envelope FROM outbox WHERE type = 'user.enrolled' ORDER BY position DESC LIMIT 1`)).rows[0]?.envelope);
  if (!template) throw new Error('no user.enrolled row in user_db.outbox to copy the envelope shape from');
  const rows = users.map((u, i) => {
    const id = randomUUID();
    const eventId = events[i % events.length];
    return {
      id, aggregate: u.id, eventId,
      envelope: JSON.stringify({ ...template, id, occurredAt: new Date().toISOString(), correlationId: id, causationId: null,
        data: { ...template.data, userId: u.id, eventId, email: u.email, name: u.name, requestedAt: new Date().toISOString() } }),
    };
  });
  // The audit log is append-only: this phase's entries are the user.enrolled ones after its current end.
  const auditStart = await withDb('notifier_db', async (c) => (await c.query('SELECT coalesce(max(position), 0)::int8 AS p FROM audit_log')).rows[0].p);
  const transactionsBefore = await transactionsByDatabase();
  let committedAt;
  await withDb('user_db', async (c) => {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO outbox (id, aggregate_id, type, envelope) SELECT id, agg, 'user.enrolled', env::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, agg, env)`,
      [rows.map((r) => r.id), rows.map((r) => r.aggregate), rows.map((r) => r.envelope)],
    );
    await c.query('COMMIT');
    committedAt = now();
  });
  const result = await withDb('event_db', async (c) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows: r } = await c.query(
        `SELECT count(*)::int AS n, extract(epoch FROM max(created_at)) * 1000 AS last_ms, extract(epoch FROM min(created_at)) * 1000 AS first_ms
         FROM user_events WHERE event_id = ANY($1::uuid[])`, [events]);
      if (r[0].n >= n || Date.now() > deadline) return r[0];
      await delay(POLL_MS);
    }
  });
  // The same 10,000 messages reach a second consumer of the services: the notifier's audit log (one
  // statement per message), which shows what the pipeline carries when the consumer's work is small.
  const audit = await withDb('notifier_db', async (c) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows: r } = await c.query(
        `SELECT count(*)::int AS n, extract(epoch FROM max(received_at)) * 1000 AS last_ms FROM audit_log WHERE position > $1 AND type = 'user.enrolled'`, [auditStart]);
      if (r[0].n >= n || Date.now() > deadline) return r[0];
      await delay(POLL_MS);
    }
  });
  const relay = await withDb('user_db', async (c) => (await c.query(
    `SELECT count(published_at)::int AS n, extract(epoch FROM max(published_at)) * 1000 AS last_ms FROM outbox WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)])).rows[0]);
  const seconds = (Number(result.last_ms) - committedAt) / 1000;
  // Backends report their counts within a second of going idle.
  await delay(1500);
  const transactionsAfter = await transactionsByDatabase();
  const transactionsPerMessage = Object.fromEntries(Object.entries(transactionsAfter)
    .map(([db, count]) => [db, round((count - (transactionsBefore[db] ?? 0)) / n, 2)]));
  log(`  PostgreSQL transactions per message (pg_stat_database, every statement outside a transaction counts as one): ${Object.entries(transactionsPerMessage).map(([db, t]) => `${db} ${t}`).join(', ')}`);
  const out = {
    transactionsPerMessage,
    messages: n, consumed: result.n, seconds,
    perSecond: result.n / seconds,
    relayPublished: relay.n, relaySeconds: (Number(relay.last_ms) - committedAt) / 1000,
  };
  out.relayPerSecond = out.relayPublished / out.relaySeconds;
  out.audited = audit.n;
  out.auditSeconds = (Number(audit.last_ms) - committedAt) / 1000;
  out.auditPerSecond = out.audited / out.auditSeconds;
  log(`outbox → RabbitMQ → consumer: ${out.consumed}/${n} user.enrolled in ${round(seconds, 2)} s = ${round(out.perSecond, 0)} msg/s (relay published all in ${round(out.relaySeconds, 2)} s = ${round(out.relayPerSecond, 0)} msg/s; the notifier audited ${out.audited} in ${round(out.auditSeconds, 2)} s = ${round(out.auditPerSecond, 0)} msg/s)`);
  return out;
}

// ------------------------------------------------------------------ CPU accounting per phase (/proc/<pid>/stat)

const TICK_MS = 10; // USER_HZ = 100 on Linux
let cpuNames = {};
function cpuSnapshot() {
  const by = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    const pid = Number(entry);
    const name = cpuNames[pid] ?? (comm === 'nginx' ? 'nginx' : comm === 'postgres' ? 'postgres' : comm === 'beam.smp' ? 'rabbitmq' : 'other processes');
    // By pid and start time: a process that ended during the phase is left out (not subtracted),
    // one that started during it counts whole.
    by[`${pid}/${fields[19]}`] = { name, ms };
  }
  return { at: now(), by };
}
function cpuDelta(before, after) {
  const out = {};
  for (const [key, { name, ms }] of Object.entries(after.by)) {
    const d = ms - (before.by[key]?.ms ?? 0);
    if (d > 0) out[name] = (out[name] ?? 0) + d;
  }
  return { wallMs: after.at - before.at, cpuMs: out };
}

// ------------------------------------------------------------------ RSS and cold start

function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The stack's production node flags (scripts/stack.mjs INSTANCE_NODE_FLAGS), set once the stack module is loaded. */
let instanceNodeFlags = [];

const HOST_DIRS = { user: 'user-service', event: 'event-service', session: 'session-service', speaker: 'speaker-service', notifier: 'notifier' };

async function coldStart(service, env, port, logFile) {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...instanceNodeFlags, join(ROOT, 'hosts', HOST_DIRS[service], 'dist', 'main.js')], {
    cwd: ROOT, env, stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const t0 = now();
  const probe = async (path) => {
    for (;;) {
      if (child.exitCode !== null) return NaN;
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return now() - t0;
      } catch { /* not yet */ }
      if (now() - t0 > 30_000) return NaN;
      await delay(5);
    }
  };
  try {
    const health = await probe('/health');
    const ready = await probe('/ready');
    if (!Number.isFinite(ready)) log(`cold start ${service} failed; ${logFile}:\n${readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n')}`);
    return { service, pid: child.pid, healthMs: health, readyMs: ready };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, delay(10_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }
}

// ------------------------------------------------------------------ report

function cpuTable(targets, enroll, messages, cpu, sized) {
  const rows = [
    ...targets.map((t) => ({ name: t.name, cpu: t.cpu, n: t.total })),
    { name: `enrollments (${enroll.total}, request → outcome)`, cpu: cpu.enroll, n: enroll.total },
    { name: `outbox → consumer (${messages.messages} messages)`, cpu: cpu.messages, n: messages.messages },
    ...(sized ?? []).filter((t) => t.key !== 'fixed').map((t) => ({ name: t.key === 'koa' ? `${t.name}, beside one instance per service` : t.name, cpu: t.cpu, n: t.total })),
    ...(cpu.sizedEnroll ? [{ name: 'enrollments, one instance per service', cpu: cpu.sizedEnroll, n: ENROLL_RATE * ENROLL_SECONDS }] : []),
  ].filter((r) => r.cpu);
  const groups = ['load generator (bench)', 'nginx', 'koa baseline', 'user', 'event', 'session', 'speaker', 'notifier', 'postgres', 'rabbitmq', 'other processes'];
  const used = groups.filter((g) => rows.some((r) => (r.cpu.cpuMs[g] ?? 0) / r.n >= 0.005));
  return [
    `| phase | cores busy | ${used.join(' | ')} | total ms/req |`,
    `|---|---:|${used.map(() => '---:').join('|')}|---:|`,
    ...rows.map((r) => {
      const total = Object.values(r.cpu.cpuMs).reduce((a, b) => a + b, 0);
      return `| ${r.name} | ${round(total / r.cpu.wallMs, 2)} | ${used.map((g) => round((r.cpu.cpuMs[g] ?? 0) / r.n, 2)).join(' | ')} | ${round(total / r.n, 2)} |`;
    }),
  ];
}

function report({ quietWaitS, info, command, started, finished, data, targets, sized, sizedEnroll, enroll, messages, rss, koaRss, cold, stackStartMs, versions, cpu }) {
  const by = Object.fromEntries(targets.map((t) => [t.key, t]));
  const koa = by.koa;
  const ratio = (t) => t.rps / koa.rps;
  const goals = [];
  const goal = (name, value, target, reached, note = '') => goals.push({ name, value, target, reached, note });
  goal('GET /api/events/:id vs Koa + pg', `${round(ratio(by.event), 2)}×`, '≥ 0.7×', ratio(by.event) >= 0.7);
  goal('GET /api/sessions/:id (speakers via gRPC) vs Koa + pg', `${round(ratio(by.session), 2)}×`, '≥ 0.5×', ratio(by.session) >= 0.5);
  goal(`enrollment propagation p99 at ${ENROLL_RATE}/s`, `${round(enroll.p99)} ms`, '≤ 50 ms', enroll.p99 <= 50 && enroll.recorded === enroll.total);
  goal('messages/s outbox → RabbitMQ → consumer', `${round(messages.perSecond, 0)} msg/s`, '≥ 2,000 msg/s', messages.perSecond >= 2000);
  const sizedBy = sized ? Object.fromEntries(sized.map((t) => [t.key, t])) : null;
  const sizedRatio = (t) => t.rps / sizedBy.koa.rps;
  if (sizedBy) {
    goal('GET /api/events/:id vs Koa + pg, one instance per service', `${round(sizedRatio(sizedBy.event), 2)}×`, '≥ 0.7×', sizedRatio(sizedBy.event) >= 0.7);
    goal('GET /api/sessions/:id vs Koa + pg, one instance per service', `${round(sizedRatio(sizedBy.session), 2)}×`, '≥ 0.5×', sizedRatio(sizedBy.session) >= 0.5);
  }
  if (sizedEnroll) {
    goal(`enrollment propagation p99 at ${ENROLL_RATE}/s, one instance per service`, `${round(sizedEnroll.p99)} ms`, '≤ 50 ms', sizedEnroll.p99 <= 50 && sizedEnroll.recorded === sizedEnroll.total);
  }
  const worstRss = rss.reduce((a, b) => (b.rss > a.rss ? b : a));
  goal('host RSS after load vs Koa + pg RSS', `max ${round(worstRss.rss, 0)} MiB (${worstRss.name}) = ${round(worstRss.rss / koaRss, 2)}× of ${round(koaRss, 0)} MiB`, '≤ 1.2× each', rss.every((r) => r.rss <= 1.2 * koaRss));
  const worstCold = cold.reduce((a, b) => (b.readyMs > a.readyMs ? b : a));
  goal('host cold start (spawn → /ready 200)', `max ${round(worstCold.readyMs, 0)} ms (${worstCold.service})`, '≤ 1,000 ms each', cold.every((c) => c.readyMs <= 1000 && c.healthMs <= 1000));

  const tr = (t) => `| ${t.name} | ${round(t.rps, 0)} | ${t.p50} | ${t.p99} | ${t.key === 'fixed' || t.key === 'koa' ? '—' : `${round(ratio(t), 2)}×`} | ${round(t.rps / by.fixed.rps, 3)}× | ${t.ok} / ${t.non2xx} / ${t.errors} |`;
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`bench/run.mjs\` — do not edit by hand; run it again.`,
    '',
    `- **Command:** \`${command}\``,
    `- **Date:** ${started.toISOString()} → ${finished.toISOString()} (UTC)`,
    `- **Machine:** ${info.host}: ${info.nproc} × ${info.cpu}, ${info.memoryGiB} GiB RAM, ${info.os}, ${info.kernel}; load average before the run ${info.loadBefore}`,
    `- **Software:** Node ${info.node}, PostgreSQL ${versions.postgres}, RabbitMQ ${versions.rabbitmq}, nginx ${info.nginx}, autocannon ${versions.autocannon}`,
    `- **Stack:** scripts/stack.mjs \`startStack\`, default counts (user ×3, event ×5, session ×2, speaker ×1, notifier ×1), LOG_LEVEL=info, node ${instanceNodeFlags.join(' ')}, DB_POOL_SIZE=${DB_POOL} per instance (the default 10 × 12 instances exceeds PostgreSQL's max_connections=${versions.maxConnections}: instances then fail to connect and answer 503), behind its nginx on :${PORT} (up in ${round(stackStartMs / 1000, 1)} s). RabbitMQ queues of the run: ${versions.queues}. The load generator, nginx, PostgreSQL, RabbitMQ and every instance share the same ${info.nproc} cores.`,
    `- **Data seeded** (SQL, ${round(data.seedMs / 1000, 1)} s): ${SEED.users.toLocaleString('en')} users (one reused argon2 hash), ${SEED.events.toLocaleString('en')} published events, ${SEED.sessions.toLocaleString('en')} sessions with ${data.sessionSpeakerRows.toLocaleString('en')} speaker links (1–3 per session), ${SEED.speakers.toLocaleString('en')} speakers. Every service database is compacted (VACUUM (FULL, ANALYZE)) after seeding and vacuumed (VACUUM (ANALYZE)) before each phase that writes: this machine's PostgreSQL runs with autovacuum = off, so the dead rows of earlier runs would otherwise stay in every scan.`,
    `- **Load:** autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${DURATION} s measured, for every target alike; ids drawn round-robin from the seeded rows. GET /api/sessions/:id first requests every seeded session once (each session instance caches speaker summaries for 30 s), so it is measured in the steady state whatever the machine's speed. The enrollment and messages phases and the cold starts each begin once the run's processes use under 0.15 cores (the backlog of the phase before drained).`,
    `- **Baselines** (same run, same nginx process, same worker settings and access log): \`location = /bench/fixed { return 200 }\`, and \`/bench/koa/events/:id\` proxied to bench/baseline-koa.mjs (Koa 3 + pg Pool of 10, \`SELECT * FROM events WHERE id = $1\`, JSON) — one process, as an upstream like the services' (keepalive 16).`,
    '',
    '## Throughput and latency (through nginx)',
    '',
    '| target | req/s | p50 ms | p99 ms | ÷ Koa + pg | ÷ nginx fixed | 2xx / non-2xx / errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...targets.map(tr),
    '',
    ...(sized ? [
      '### The same reads with one instance per service',
      '',
      `Later in the same run: the stack stopped and started again with user, event, session, speaker and notifier ×1 (the baseline is one process too), the baselines measured again beside them. On ${info.nproc} cores every process beyond the cores costs CPU per request: fewer requests per wake-up, and more PostgreSQL backends each woken for fewer queries (compare the CPU rows below with the ones above).`,
      '',
      '| target | req/s | p50 ms | p99 ms | ÷ Koa + pg | ÷ nginx fixed | 2xx / non-2xx / errors |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...sized.map((t) => `| ${t.name} | ${round(t.rps, 0)} | ${t.p50} | ${t.p99} | ${t.key === 'fixed' || t.key === 'koa' ? '—' : `${round(sizedRatio(t), 2)}×`} | ${round(t.rps / sizedBy.fixed.rps, 3)}× | ${t.ok} / ${t.non2xx} / ${t.errors} |`),
      '',
    ] : []),
    '## Messaging',
    '',
    '| figure | value |',
    '|---|---|',
    `| enrollments sent (POST /api/users/me/enrollments, distinct users over 20 events) | ${enroll.total} at ${round(enroll.achievedRate, 0)}/s for ${ENROLL_SECONDS} s; ${enroll.failures} failed${enroll.failures ? ` (${JSON.stringify(enroll.failedStatuses)})` : ""}; ${enroll.recorded} outcomes recorded (${Object.entries(enroll.statuses).map(([k, v]) => `${k} ${v}`).join(', ')}) |`,
    `| propagation, request sent → outcome row (user_events.created_at) | p50 ${round(enroll.p50)} ms, p99 ${round(enroll.p99)} ms, max ${round(enroll.max)} ms |`,
    `| same, from the user service's requestedAt | p50 ${round(enroll.fromRequestedAtP50)} ms, p99 ${round(enroll.fromRequestedAtP99)} ms |`,
    `| the 202 itself | p50 ${round(enroll.acceptP50)} ms, p99 ${round(enroll.acceptP99)} ms |`,
    `| PostgreSQL transactions per enrollment (pg_stat_database; a statement outside a transaction counts as one) | ${describeTransactions(enroll.transactionsPerEnrollment)} |`,
    ...(sizedEnroll ? [
      `| one instance per service (later in the run, other users and events): propagation | p50 ${round(sizedEnroll.p50)} ms, p99 ${round(sizedEnroll.p99)} ms, max ${round(sizedEnroll.max)} ms; 202 p50 ${round(sizedEnroll.acceptP50)} ms, p99 ${round(sizedEnroll.acceptP99)} ms; ${sizedEnroll.recorded}/${sizedEnroll.total} recorded, ${sizedEnroll.failures} failed |`,
    ] : []),
    `| outbox → RabbitMQ → consumer (${messages.messages.toLocaleString('en')} user.enrolled rows committed at once into user_db.outbox; the user service's relay (one active per outbox, the other instances stand by) publishes, the 5 event-service consumers record the outcomes over 200 events) | **${round(messages.perSecond, 0)} msg/s** end to end (${messages.consumed} consumed in ${round(messages.seconds, 2)} s) |`,
    `| of which the relay alone (commit → last published_at) | ${round(messages.relayPerSecond, 0)} msg/s (${messages.relayPublished} in ${round(messages.relaySeconds, 2)} s) |`,
    `| the same messages through another consumer of the services, the notifier's audit log (one INSERT per burst of deliveries; commit → last received_at) | ${round(messages.auditPerSecond, 0)} msg/s (${messages.audited} in ${round(messages.auditSeconds, 2)} s) |`,
    `| PostgreSQL transactions per message (as above) | ${describeTransactions(messages.transactionsPerMessage)} |`,
    '',
    '## Where the CPU went (the profile at machine level)',
    '',
    `CPU time per request (ms) by process group during each measured phase, from /proc/<pid>/stat (utime + stime); "cores busy" is the sum over the phase divided by its wall time (the machine has ${info.nproc}). "other processes" is everything else on the machine (other users' jobs included).`,
    '',
    ...cpuTable(targets, enroll, messages, cpu, sized),
    '',
    '## Memory after the load (RSS)',
    '',
    '| process | RSS MiB | ÷ Koa + pg |',
    '|---|---:|---:|',
    `| Koa + pg baseline (after its ${WARMUP + DURATION} s of load) | ${round(koaRss, 0)} | 1.00× |`,
    ...rss.map((r) => `| ${r.name} (pid ${r.pid}) | ${round(r.rss, 0)} | ${round(r.rss / koaRss, 2)}× |`),
    '',
    `## Cold start (spawn \`node ${instanceNodeFlags.join(' ')} hosts/<svc>/dist/main.js\` with the stack's environment → first 200)`,
    '',
    `Each in place of the service's first instance (stopped meanwhile, restarted after), once the stack was quiet again (waited ${round(quietWaitS, 0)} s for the notifier to drain the messages phase). PROFILE=postgres: connects PostgreSQL, RabbitMQ (declares its queues) and its gRPC peers.`,
    '',
    '| host | /health ms | /ready ms |',
    '|---|---:|---:|',
    ...cold.map((c) => `| ${c.service} | ${round(c.healthMs, 0)} | ${round(c.readyMs, 0)} |`),
    '',
    '## Goals',
    '',
    '| goal | measured | target | reached |',
    '|---|---|---|---|',
    ...goals.map((g) => `| ${g.name} | ${g.value} | ${g.target} | ${g.reached ? 'yes' : '**no**'} |`),
    '',
  ];
  return { text: lines.join('\n'), goals };
}

// ------------------------------------------------------------------ main

/**
 * Waits until the processes of the run (not other users' jobs) use less than 0.15 cores, at most
 * 2 minutes: a phase must not pay for the previous one's backlog (POST /api/sessions leaves
 * thousands of session.created for the consumers and the notifier). Returns the seconds waited.
 */
async function untilQuiet() {
  const start = now();
  for (;;) {
    const a = cpuSnapshot();
    await delay(1000);
    const d = cpuDelta(a, cpuSnapshot());
    const busy = Object.entries(d.cpuMs).filter(([k]) => k !== 'other processes').reduce((n, [, v]) => n + v, 0) / d.wallMs;
    if (busy < 0.15 || now() - start > 120_000) {
      const waited = (now() - start) / 1000;
      log(`stack quiet (${round(busy, 2)} cores busy) after ${round(waited, 0)} s`);
      return waited;
    }
  }
}

/** The two baseline locations into a stack's own nginx (reload: SIGHUP), once it answers them. */
async function addBaselinesToGateway(stack) {
  const confFile = join(stack.nginxDir, 'nginx.conf');
  writeFileSync(confFile, addBaselines(readFileSync(confFile, 'utf8')));
  process.kill(stack.nginx.pid, 'SIGHUP');
  for (let i = 0; ; i++) {
    const res = await fetch(`${stack.gatewayUrl}/bench/fixed`).catch(() => null);
    if (res?.status === 200) break;
    if (i > 100) throw new Error('nginx did not take the baseline locations');
    await delay(100);
  }
  await delay(500); // old workers finish
}

async function main() {
  const started = new Date();
  const command = `source scripts/node24.sh && npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const info = machine();
  const { startStack, serviceDatabaseUrl, instancePorts, INSTANCE_NODE_FLAGS } = await import(pathToFileURL(join(ROOT, 'scripts/stack.mjs')).href);
  instanceNodeFlags = [...INSTANCE_NODE_FLAGS];
  const { createTestBroker } = await import('@conference/adapters-rabbitmq/testing');
  const { DEFAULT_RETRY_DELAYS_MS, queuesOf } = await import('@conference/adapters-rabbitmq');
  const { ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER } = await import('@conference/event');
  const { AUDIT_CONSUMER, EMAIL_CONSUMER } = await import('@conference/notifications');
  const { SPEAKER_DELETED_CONSUMER } = await import('@conference/session');

  const dir = mkdtempSync(join(tmpdir(), 'conference-bench-'));
  let profilePids = null;
  let quietWaitS = NaN;
  const broker = createTestBroker('bench');
  const queueVersion = queueVersionPolicy(broker.suffix, true);
  let stack;
  let koa;
  // Ctrl-C or a kill mid-run: the instances, their nginx and the baseline go too (the `finally` below
  // does not run then). Queues and the temporary folder are left; a stack still starting is left too.
  const onSignal = async (signal) => {
    log(`${signal}: stopping the stack …`);
    koa?.kill('SIGTERM');
    await stack?.stop().catch(() => undefined);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`starting the stack (gateway :${PORT}, instances from ${BASE_PORT}, state in ${dir}) …`);
    const stackOptions = (counts, sub) => ({
      dir: sub ? join(dir, sub) : dir, port: PORT, basePort: BASE_PORT, ...(counts ? { counts } : {}),
      adminEmail: `bench-admin-${randomBytes(4).toString('hex')}@${BENCH_DOMAIN}`, adminPassword: randomBytes(12).toString('base64url'),
      amqpExchange: broker.exchange, amqpQueueSuffix: broker.suffix,
      instanceEnv: { '*': { DB_POOL_SIZE: String(DB_POOL), ...(PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(dir, 'prof')}` } : {}) } },
      log: (line) => log(`stack: ${line}`),
    });
    stack = await startStack(ONLY && ONE_INSTANCE ? stackOptions(SIZED_COUNTS, 'sized') : stackOptions());
    const stackStartMs = stack.startupMs;
    log(`stack up in ${round(stackStartMs / 1000, 1)} s`);
    let gateway = stack.gatewayUrl;

    // Baseline process, then the two baseline locations into the stack's own nginx (reload: SIGHUP).
    koa = fork(join(ROOT, 'bench/baseline-koa.mjs'), [], {
      env: { ...process.env, PORT: String(KOA_PORT), DATABASE_URL: serviceDatabaseUrl(PG_ADMIN_URL, 'event') }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise((ok, fail) => { koa.once('message', ok); koa.once('exit', (code) => fail(new Error(`baseline-koa exited (${code})`))); });
    await addBaselinesToGateway(stack);

    log('seeding …');
    const data = await seed();
    log(`seeded in ${round(data.seedMs / 1000, 1)} s; databases compacted (VACUUM FULL) in ${round((await vacuumServiceDatabases({ full: true })) / 1000, 1)} s`);
    const sign = await tokenSigner(ONLY && ONE_INSTANCE ? join(dir, 'sized') : dir);
    const organizerToken = await sign(ORGANIZER_ID, 'organizer', data.organizer.email);

    // Sanity: every route answers before it is loaded.
    for (const path of [`/bench/koa/events/${data.events[0]}`, `/api/events/${data.events[0]}`, '/api/events?limit=20', `/api/sessions/${data.sessions[1]}`]) {
      const res = await fetch(`${gateway}${path}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${body.slice(0, 300)}`);
      if (path.startsWith('/api/sessions/') && !/"speakers":\[\{/.test(body)) throw new Error(`GET ${path} has no speakers: ${body.slice(0, 300)}`);
    }

    const rr = (list, prefix) => {
      let i = 0;
      return (req) => ({ ...req, path: `${prefix}${list[i++ % list.length]}` });
    };
    cpuNames = { [process.pid]: 'load generator (bench)', [koa.pid]: 'koa baseline' };
    for (const i of stack.instances) cpuNames[i.pid] = i.service;
    const cpu = {};
    const phase = async (key, fn) => {
      const before = cpuSnapshot();
      const result = await fn();
      cpu[key] = cpuDelta(before, cpuSnapshot());
      return result;
    };
    const targets = [];
    targets.push({ key: 'fixed', ...(await cannon('nginx fixed 200 (baseline)', `${gateway}/bench/fixed`, { key: 'fixed' })) });
    targets.push({ key: 'koa', ...(await cannon('Koa + pg, event by id (baseline)', `${gateway}/bench/koa/events/${data.events[0]}`, { key: 'koa', setupRequest: rr(data.events, '/bench/koa/events/') })) });
    targets.push({ key: 'event', ...(await cannon('GET /api/events/:id', `${gateway}/api/events/${data.events[0]}`, { key: 'event', setupRequest: rr(data.events, '/api/events/') })) });
    targets.push({ key: 'list', ...(await cannon('GET /api/events?limit=20', `${gateway}/api/events?limit=20`, { key: 'list' })) });
    targets.push({ key: 'session', ...(await cannon('GET /api/sessions/:id (with speakers via gRPC)', `${gateway}/api/sessions/${data.sessions[0]}`, { key: 'session', setupRequest: rr(data.sessions, '/api/sessions/'), primeRequests: data.sessions.length })) });
    let n = 0;
    const slot0 = Date.parse('2031-01-01T00:00:00Z') + Math.floor(Math.random() * 1000) * 86_400_000 * 10;
    targets.push({ key: 'create', ...(await cannon('POST /api/sessions (gRPC speaker check + outbox)', `${gateway}/api/sessions`, {
      method: 'POST', key: 'create',
      headers: { authorization: `Bearer ${organizerToken}`, 'content-type': 'application/json' },
      expect: 201,
      setupRequest: (req) => {
        const i = n++;
        const startsAt = new Date(slot0 + i * 7_200_000);
        return {
          ...req,
          body: JSON.stringify({
            title: `Bench talk ${i}`, abstract: 'Created by the benchmark.', room: `Room ${i % 7}`, eventId: null,
            startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
            speakerIds: [data.speakers[i % data.speakers.length]],
          }),
        };
      },
    })) });

    // RSS right after the HTTP load (every service had its share; the Koa baseline had its own run).
    const koaRss = rssMiB(koa.pid);
    const rssAfterHttp = stack.instances.map((i) => ({ name: i.name, pid: i.pid, rss: rssMiB(i.pid) }));

    if (ONLY) {
      log(`RSS after the HTTP load (MiB): Koa + pg ${koaRss}; ${rssAfterHttp.map((r) => `${r.name} ${r.rss}`).join(', ')}`);
      if (PROFILE) profilePids = Object.fromEntries(stack.instances.map((i) => [i.pid, i.name]));
      // The messaging phases by themselves, for profiling them: figures in the log only.
      if (wanted('enroll')) {
        await untilQuiet();
        await vacuumServiceDatabases();
        await withTransactionsPerEnrollment(await phase('enroll', () => enrollmentPropagation(gateway, data, sign)));
        log(`  CPU ms/enrollment: ${describeCpu(cpu.enroll, ENROLL_RATE * ENROLL_SECONDS)}`);
      }
      if (wanted('messages')) {
        await untilQuiet();
        await vacuumServiceDatabases();
        await phase('messages', () => messageThroughput(data));
        log(`  CPU ms/message: ${describeCpu(cpu.messages, MESSAGES)}`);
      }
      log('--only: skipping cold starts and RESULTS.md');
      return;
    }
    await untilQuiet();
    await vacuumServiceDatabases();
    log(`enrollment propagation: ${ENROLL_RATE}/s for ${ENROLL_SECONDS} s …`);
    const enroll = await withTransactionsPerEnrollment(await phase('enroll', () => enrollmentPropagation(gateway, data, sign)));
    await untilQuiet();
    await vacuumServiceDatabases();
    log(`messages/s: ${MESSAGES} outbox rows …`);
    const messages = await phase('messages', () => messageThroughput(data));
    // After all the load: the larger of the two readings per instance.
    const rss = rssAfterHttp.map((r) => ({ ...r, rss: Math.max(r.rss, rssMiB(r.pid)) }));

    // Cold starts on a quiet machine: the notifier still mails the messages phase's enrollments for a while.
    quietWaitS = await untilQuiet();
    log('cold starts …');
    const cold = [];
    const signingKey = readFileSync(join(dir, 'signing-key.json'), 'utf8').trim();
    const svcs = ['user', 'event', 'session', 'speaker', 'notifier'];
    for (const service of svcs) {
      // In place of the service's first instance (stopped meanwhile): its database connections are
      // free again, and PostgreSQL's max_connections has no room for a 13th pool.
      const { port, grpcPort } = instancePorts(BASE_PORT, service, 1);
      await stack.kill(service, 1);
      const grpcTargets = (s) => `ipv4:${stack.instances.filter((i) => i.service === s).map((i) => `127.0.0.1:${instancePorts(BASE_PORT, s, i.index).grpcPort}`).join(',')}`;
      const env = {
        ...process.env, PROFILE: 'postgres', PORT: String(port), HOST: '127.0.0.1',
        DATABASE_URL: serviceDatabaseUrl(PG_ADMIN_URL, service), AMQP_URL, JWKS_URL: `${gateway}/api/auth/jwks.json`, TRUST_PROXY: 'true',
        LOG_LEVEL: 'info', DB_POOL_SIZE: String(DB_POOL), ...(PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${join(dir, 'prof-cold')}` } : {}), AMQP_EXCHANGE: broker.exchange, AMQP_QUEUE_SUFFIX: broker.suffix,
        ...(grpcPort ? { GRPC_PORT: String(grpcPort) } : {}),
        ...(service === 'user' ? { JWT_PRIVATE_KEY: signingKey, ADMIN_EMAIL: stack.admin.email, ADMIN_PASSWORD: stack.admin.password } : {}),
        ...(service === 'event' ? { SESSION_GRPC_TARGET: grpcTargets('session') } : {}),
        ...(service === 'session' ? { SPEAKER_GRPC_TARGET: grpcTargets('speaker') } : {}),
        ...(service === 'notifier' ? { MAILBOX_DIR: stack.mailboxDir } : {}),
      };
      const c = await coldStart(service, env, port, join(stack.logDir, `cold-${service}.log`));
      log(`cold start ${service}: /health ${round(c.healthMs, 0)} ms, /ready ${round(c.readyMs, 0)} ms`);
      cold.push(c);
      await stack.restart(service, 1).catch((error) => log(`restarting ${service}-1: ${error.message.split('\n')[0]}`));
    }

    // The reads again on a stack with one instance per service, beside the same baselines: the
    // baseline is one process, and on 2 cores every process beyond the cores costs CPU per request
    // (fewer requests per wake-up, more PostgreSQL backends), which the default topology pays.
    let sized = null;
    let sizedEnroll = null;
    if (!args.includes('--no-sized')) {
      log('reads with one instance per service …');
      await stack.stop();
      stack = null;
      stack = await startStack(stackOptions(SIZED_COUNTS, 'sized'));
      gateway = stack.gatewayUrl;
      await addBaselinesToGateway(stack);
      for (const i of stack.instances) cpuNames[i.pid] = i.service;
      sized = [];
      sized.push({ key: 'fixed', ...(await cannon('nginx fixed 200 (baseline)', `${gateway}/bench/fixed`, { key: 'fixed' })) });
      sized.push({ key: 'koa', ...(await cannon('Koa + pg, event by id (baseline)', `${gateway}/bench/koa/events/${data.events[0]}`, { key: 'koa', setupRequest: rr(data.events, '/bench/koa/events/') })) });
      sized.push({ key: 'event', ...(await cannon('GET /api/events/:id (one instance per service)', `${gateway}/api/events/${data.events[0]}`, { key: 'event', setupRequest: rr(data.events, '/api/events/') })) });
      sized.push({ key: 'session', ...(await cannon('GET /api/sessions/:id (one instance per service)', `${gateway}/api/sessions/${data.sessions[0]}`, { key: 'session', setupRequest: rr(data.sessions, '/api/sessions/'), primeRequests: data.sessions.length })) });
      await untilQuiet();
      await vacuumServiceDatabases();
      log(`enrollment propagation, one instance per service: ${ENROLL_RATE}/s for ${ENROLL_SECONDS} s …`);
      const sizedSign = await tokenSigner(join(dir, 'sized'));
      sizedEnroll = await withTransactionsPerEnrollment(await phase('sizedEnroll', () => enrollmentPropagation(gateway, data, sizedSign, 1)));
    }

    const versions = {
      postgres: await withDb('postgres', async (c) => (await c.query('SHOW server_version')).rows[0].server_version),
      rabbitmq: await (async () => {
        const model = await amqpConnect(AMQP_URL);
        try {
          return model.connection.serverProperties?.version ?? '?';
        } finally {
          await model.close();
        }
      })(),
      maxConnections: await withDb('postgres', async (c) => (await c.query('SHOW max_connections')).rows[0].max_connections),
      queues: queueVersion,
      autocannon: JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version,
    };
    const { text, goals } = report({ quietWaitS, info, command, started, finished: new Date(), data, targets, sized, sizedEnroll, enroll, messages, rss, koaRss, cold, stackStartMs, versions, cpu });
    if (PROFILE) {
      profilePids = Object.fromEntries(stack.instances.map((i) => [i.pid, i.name]));
      for (const r of rss) profilePids[r.pid] = r.name;
      for (const c of cold) profilePids[c.pid] = `cold-${c.service}`;
      log('profile mode: RESULTS.md left alone');
      return;
    }
    const resultsFile = join(ROOT, 'bench/RESULTS.md');
    // Keep a hand-written "Profile" section (and anything after it) across runs.
    let tail = '';
    try {
      const old = readFileSync(resultsFile, 'utf8');
      const at = old.indexOf('\n## Profile');
      if (at >= 0) tail = old.slice(at);
    } catch { /* first run */ }
    writeFileSync(resultsFile, `${text}${tail}${tail.endsWith('\n') || tail === '' ? '' : '\n'}`);
    writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify({ info, command, started, targets, enroll, messages, rss, koaRss, cold, versions, goals, cpu }, null, 2)}\n`);
    log(`wrote bench/RESULTS.md: ${goals.filter((g) => g.reached).length}/${goals.length} goals reached`);
    for (const g of goals) log(`  ${g.reached ? 'reached    ' : 'NOT reached'} ${g.name}: ${g.value} (${g.target})`);
  } finally {
    if (koa && koa.exitCode === null) {
      const exited = new Promise((r) => koa.once('exit', r));
      koa.kill('SIGTERM');
      await Promise.race([exited, delay(5000)]);
      if (koa.exitCode === null && koa.signalCode === null) koa.kill('SIGKILL');
    }
    if (stack) {
      log('stopping the stack …');
      await stack.stop();
    }
    try {
      const model = await broker.admin();
      for (const consumer of [ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER, SPEAKER_DELETED_CONSUMER, AUDIT_CONSUMER, EMAIL_CONSUMER]) {
        for (const queue of queuesOf({ queue: `${consumer}.${broker.suffix}`, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS })) {
          const channel = await model.createChannel();
          await channel.deleteQueue(queue).catch(() => undefined);
          await channel.close().catch(() => undefined);
        }
      }
      await broker.cleanup();
    } catch (error) {
      log(`broker cleanup: ${error.message}`);
    }
    queueVersionPolicy(broker.suffix, false);
    if (PROFILE && profilePids) {
      const { summarise } = await import('./profile-summary.mjs');
      const { readdirSync, mkdirSync } = await import('node:fs');
      const out = join(ROOT, 'bench/profile');
      mkdirSync(out, { recursive: true });
      const written = new Set();
      for (const sub of ['prof', 'prof-cold']) {
        let files = [];
        try { files = readdirSync(join(dir, sub)).filter((f) => f.endsWith('.cpuprofile')); } catch { /* none */ }
        for (const f of files) {
          const pid = Number(f.split('.')[3]);
          // A cold start stands in for an instance under the same name: the pid keeps both profiles apart.
          const named = profilePids[pid] ?? `${sub}-pid-${pid}`;
          const name = written.has(named) ? `${named}-pid-${pid}` : named;
          written.add(name);
          writeFileSync(join(out, `${name}.txt`), summarise(join(dir, sub, f), 40));
        }
      }
      log(`profile summaries in bench/profile/`);
    }
    if (args.includes('--keep')) log(`kept ${dir} (logs)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`bench: ${error?.stack ?? error}\n`);
  process.exit(1);
});
