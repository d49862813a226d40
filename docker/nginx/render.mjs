#!/usr/bin/env node
/**
 * Renders the gateway's nginx.conf from conference.conf.template and the instance addresses of
 * each service. One renderer for every way to run (the local stack, compose, Kubernetes), so the
 * routes, retries and problem answers cannot drift between them; only the addresses differ.
 *
 *   node docker/nginx/render.mjs [--input FILE] [--out FILE] [--prefix DIR] [--listen PORT]
 *                                [--service NAME=ADDR,ADDR ...]
 *
 * The input is JSON (from --input, else from stdin when it is not a terminal):
 *   { "listen": 8080,
 *     "upstreams": { "user": ["127.0.0.1:3101", ...], "event": [...], "session": [...],
 *                    "speaker": [...], "notifier": [...] },
 *     ...optional settings, see DEFAULTS }
 * --listen and --service override or complete it. Every service must be given; an empty list
 * means "no instance": its routes answer the 503 problem at once.
 *
 * --prefix DIR creates DIR/logs and DIR/tmp and writes DIR/nginx.conf unless --out says
 * otherwise; then run `nginx -p DIR -c DIR/nginx.conf`. Paths in the output are relative to the
 * prefix, so the same text works under any prefix. Without --out or --prefix it prints to stdout.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** DESIGN §1: which service serves which prefix. `limited` routes get the per-address rate limit. */
export const ROUTES = Object.freeze([
  { route: '/api/auth', service: 'user', limited: true },
  { route: '/api/users', service: 'user', limited: false },
  { route: '/api/events', service: 'event', limited: false },
  { route: '/api/sessions', service: 'session', limited: false },
  { route: '/api/speakers', service: 'speaker', limited: false },
  { route: '/api/audit', service: 'notifier', limited: false },
]);

export const SERVICES = Object.freeze([...new Set(ROUTES.map((r) => r.service))]);

export const DEFAULTS = Object.freeze({
  /** The stack runner supervises nginx as a child process, so it must stay in the foreground. */
  daemon: false,
  workerProcesses: 'auto',
  /** Relative to the prefix; containers pass /dev/stdout and stderr so the runtime collects them. */
  accessLog: 'logs/access.log',
  errorLog: 'logs/error.log',
  /** A DNS server to re-resolve instance names with (compose: 127.0.0.11); needs nginx ≥ 1.27.3. */
  resolver: null,
  /** Per client address on /api/auth: a person logs in a few times a minute, a script hundreds. */
  authRate: '10r/s',
  authBurst: 20,
  /** http-kit's DEFAULT_BODY_LIMIT_BYTES: the gateway refuses what the services would refuse. */
  bodyLimitBytes: 64 * 1024,
  nextUpstreamTries: 3,
  nextUpstreamTimeout: '10s',
  /** Passive health: after maxFails failures within failTimeout an instance rests for failTimeout. */
  maxFails: 2,
  failTimeout: '10s',
  keepalive: 16,
});

const template = (name) => readFileSync(join(here, name), 'utf8');

/** Replaces every {{name}}; a placeholder without a value is a bug in the renderer, not a blank. */
function fill(text, values) {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`template placeholder {{${key}}} has no value`);
    return String(values[key]);
  });
}

// Values end up inside nginx directives: anything beyond these shapes could inject directives.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\])$/;
const DURATION = /^\d+(?:ms|s|m|h)?$/;

function port(value, what) {
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${what}: ${JSON.stringify(value)} is not a port (1-65535)`);
  return n;
}

/** `host:port` (a name, IPv4 or [IPv6]) or `unix:/path`. */
export function checkAddress(address, what) {
  if (typeof address !== 'string') throw new Error(`${what}: ${JSON.stringify(address)} is not an address`);
  if (/^unix:\/[^\s;{}'"]+$/.test(address)) return address;
  const match = /^(.+):(\d+)$/.exec(address);
  if (!match || !HOST.test(match[1])) throw new Error(`${what}: ${JSON.stringify(address)} is not host:port`);
  port(match[2], what);
  return address;
}

function checkListen(value) {
  if (typeof value === 'number' || /^\d+$/.test(String(value))) return String(port(value, 'listen'));
  return checkAddress(String(value), 'listen');
}

function checkShape(value, pattern, what) {
  if (!pattern.test(String(value))) throw new Error(`${what}: ${JSON.stringify(value)} is not valid`);
  return String(value);
}

function positive(value, what) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what}: ${JSON.stringify(value)} must be a whole number ≥ 1`);
  return value;
}

/** Checks the input and fills in defaults; throws with every field named on the first problem. */
export function normalize(input) {
  if (typeof input !== 'object' || input === null) throw new Error('input must be a JSON object');
  const known = new Set(['listen', 'upstreams', ...Object.keys(DEFAULTS)]);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`unknown input field(s): ${unknown.join(', ')}`);
  const options = { ...DEFAULTS, ...input };
  if (options.listen === undefined) throw new Error('listen is required (a port, or host:port)');
  const upstreams = options.upstreams ?? {};
  const extra = Object.keys(upstreams).filter((s) => !SERVICES.includes(s));
  if (extra.length > 0) throw new Error(`unknown service(s): ${extra.join(', ')} (known: ${SERVICES.join(', ')})`);
  const missing = SERVICES.filter((s) => !Array.isArray(upstreams[s]));
  if (missing.length > 0) throw new Error(`no instance list for: ${missing.join(', ')} (give [] for a service with no instance)`);
  return {
    listen: checkListen(options.listen),
    upstreams: Object.fromEntries(SERVICES.map((s) => [s, upstreams[s].map((a, i) => checkAddress(a, `upstreams.${s}[${i}]`))])),
    daemon: options.daemon === true,
    workerProcesses: checkShape(options.workerProcesses, /^(?:auto|[1-9]\d?)$/, 'workerProcesses'),
    accessLog: checkShape(options.accessLog, /^(?:off|[\w./-]+)$/, 'accessLog'),
    errorLog: checkShape(options.errorLog, /^(?:stderr|[\w./-]+)$/, 'errorLog'),
    resolver: options.resolver === null ? null : checkShape(options.resolver, /^[\w.:[\]-]+(?: valid=\d+[smh]?)?(?: ipv6=off)?$/, 'resolver'),
    authRate: checkShape(options.authRate, /^\d+r\/[sm]$/, 'authRate'),
    authBurst: positive(options.authBurst, 'authBurst'),
    bodyLimitBytes: positive(options.bodyLimitBytes, 'bodyLimitBytes'),
    nextUpstreamTries: positive(options.nextUpstreamTries, 'nextUpstreamTries'),
    nextUpstreamTimeout: checkShape(options.nextUpstreamTimeout, DURATION, 'nextUpstreamTimeout'),
    maxFails: positive(options.maxFails, 'maxFails'),
    failTimeout: checkShape(options.failTimeout, DURATION, 'failTimeout'),
    keepalive: positive(options.keepalive, 'keepalive'),
  };
}

/** The nginx.conf text for `input` (see the header for its shape). */
export function renderNginxConfig(input) {
  const o = normalize(input);
  const upstreamTemplate = template('upstream.conf.template');
  const routeTemplate = template('route-location.conf.template');
  const fallbackTemplate = template('service-fallback.conf.template');
  const served = SERVICES.filter((s) => o.upstreams[s].length > 0);

  const upstreams = served.map((service) => fill(upstreamTemplate, {
    service,
    keepalive: o.keepalive,
    servers: o.upstreams[service]
      .map((address) => `    server ${address} max_fails=${o.maxFails} fail_timeout=${o.failTimeout}${o.resolver && !address.startsWith('unix:') ? ' resolve' : ''};`)
      .join('\n'),
  })).join('');

  const routes = ROUTES.map(({ route, service, limited }) => fill(routeTemplate, {
    route,
    service,
    limit_req: limited ? `      limit_req zone=conference_auth burst=${o.authBurst} nodelay;\n` : '',
    // No instance at all: answer the service's 503 problem without an upstream to fail first.
    proxy: o.upstreams[service].length > 0 ? `      proxy_pass http://${service}_service;` : '      return 503;',
  })).join('');
  const fallbacks = SERVICES.map((service) => fill(fallbackTemplate, { service })).join('');

  return fill(template('conference.conf.template'), {
    worker_processes: o.workerProcesses,
    daemon: o.daemon ? 'on' : 'off',
    error_log: o.errorLog,
    access_log: o.accessLog,
    resolver: o.resolver ? `  # Instance names are re-resolved while running, so replicas that start later or move are found.\n  resolver ${o.resolver};\n` : '',
    auth_rate: o.authRate,
    body_limit: `${Math.ceil(o.bodyLimitBytes / 1024)}k`,
    body_limit_bytes: Math.ceil(o.bodyLimitBytes / 1024) * 1024,
    next_upstream_tries: o.nextUpstreamTries,
    next_upstream_timeout: o.nextUpstreamTimeout,
    upstreams,
    listen: o.listen,
    service_locations: routes + fallbacks,
  });
}

function parseArgs(argv) {
  const args = { services: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--input') args.input = value();
    else if (flag === '--out') args.out = value();
    else if (flag === '--prefix') args.prefix = value();
    else if (flag === '--listen') args.listen = value();
    else if (flag === '--service') {
      const [name, list = ''] = value().split('=');
      args.services[name] = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
    } else if (flag === '--help' || flag === '-h') args.help = true;
    else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write('usage: node docker/nginx/render.mjs [--input FILE] [--out FILE] [--prefix DIR] [--listen PORT] [--service NAME=ADDR,ADDR ...]\n'
      + `JSON input on stdin or --input: {"listen": 8080, "upstreams": {${SERVICES.map((s) => `"${s}": ["127.0.0.1:PORT", ...]`).join(', ')}}}\n`);
    return;
  }
  const text = args.input ? readFileSync(args.input, 'utf8') : process.stdin.isTTY ? '{}' : readFileSync(0, 'utf8');
  const input = text.trim() === '' ? {} : JSON.parse(text);
  if (args.listen !== undefined) input.listen = args.listen;
  if (Object.keys(args.services).length > 0) input.upstreams = { ...input.upstreams, ...args.services };
  const config = renderNginxConfig(input);
  let out = args.out;
  if (args.prefix) {
    const prefix = resolve(args.prefix);
    for (const dir of ['logs', 'tmp']) mkdirSync(join(prefix, dir), { recursive: true });
    out ??= join(prefix, 'nginx.conf');
  }
  if (out) writeFileSync(out, config);
  else process.stdout.write(config);
}

// Run as a program, not when imported (the tests import renderNginxConfig).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`render.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
