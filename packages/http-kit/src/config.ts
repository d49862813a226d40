import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Jwks } from './auth/jwt-signer.js';

/**
 * Configuration from the environment, decoded once at start-up with io-ts: a service with a wrong
 * or missing variable refuses to start and says which, instead of failing on first use.
 */

/** Thrown by loadConfig; the message lists every wrong or missing variable and why (never its value: it may be a secret). */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly { readonly variable: string; readonly message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Decodes the environment with `codec` (usually `t.type({ PORT: envPort(3000), ... })`; not
 * strict, since the environment holds much else; other variables are left out of the result) and
 * returns the configuration, or throws a ConfigurationError naming every variable that is wrong.
 */
export function loadConfig<A>(codec: t.Decoder<unknown, A>, env: Env = process.env): A {
  // Only the variables asked for: the rest of the environment (other secrets included) stays out of the config object.
  const decoder = codec instanceof t.InterfaceType ? (t.exact(codec) as unknown as t.Decoder<unknown, A>) : codec;
  const decoded = decoder.decode({ ...env });
  if (!isLeft(decoded)) return decoded.right;
  const problems = new Map<string, string>();
  for (const error of decoded.left) {
    const variable = error.context.map((c) => c.key).filter((k) => k !== '').join('.') || '(environment)';
    if (!problems.has(variable)) problems.set(variable, error.value === undefined ? (error.message ?? 'is required') : (error.message ?? `must be ${error.context.at(-1)?.type.name ?? 'valid'}`));
  }
  throw new ConfigurationError([...problems].map(([variable, message]) => ({ variable, message })));
}

/**
 * The building block of the helpers below, exported for variables only a host knows how to parse:
 * text from the environment (trimmed), `parse` gives the value or `{ error }`, a default when unset or empty.
 */
export function envParsed<A>(name: string, parse: (raw: string) => A | { error: string }, fallback?: A): t.Type<A, string, unknown> {
  const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v && Object.keys(v).length === 1;
  return new t.Type<A, string, unknown>(
    name,
    (u): u is A => u !== undefined,
    (u, c) => {
      if (u === undefined || u === '') return fallback !== undefined ? t.success(fallback) : t.failure(undefined, c, 'is required');
      if (typeof u !== 'string') return t.failure(u, c, 'must be text');
      const value = parse(u.trim());
      return isError(value) ? t.failure(u, c, value.error) : t.success(value);
    },
    (a) => String(a),
  );
}

/** Any non-empty text. */
export const envString = (fallback?: string) => envParsed<string>('string', (raw) => raw, fallback);

/** A TCP port, 1–65535 (0 too when `allowZero`: let the OS choose, for tests). */
export const envPort = (fallback?: number, options: { readonly allowZero?: boolean } = {}) =>
  envParsed<number>('port', (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    const min = options.allowZero ? 0 : 1;
    return n >= min && n <= 65535 ? n : { error: `must be a port number (${min}-65535)` };
  }, fallback);

/** A whole number ≥ 1. */
export const envPositiveInt = (fallback?: number) =>
  envParsed<number>('positiveInt', (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isSafeInteger(n) && n >= 1 ? n : { error: 'must be a whole number of at least 1' };
  }, fallback);

/** An absolute URL, optionally limited to some protocols (`['postgres:', 'postgresql:']`). */
export const envUrl = (options: { readonly protocols?: readonly string[]; readonly fallback?: string } = {}) =>
  envParsed<string>('url', (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { error: 'must be an absolute URL' };
    }
    if (options.protocols && !options.protocols.includes(url.protocol)) return { error: `must be a ${options.protocols.join(' or ')} URL` };
    return raw;
  }, options.fallback);

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** A duration in milliseconds from `250ms`, `30s`, `5m`, `1h` or a bare number of milliseconds. */
export const envDuration = (fallbackMs?: number) =>
  envParsed<number>('duration', (raw) => {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(raw);
    if (!match) return { error: 'must be a duration such as 500ms, 30s, 5m or 1h' };
    return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']!);
  }, fallbackMs);

/** A comma-separated list; blanks are dropped. `allowed` limits the values. */
export const envList = (options: { readonly fallback?: readonly string[]; readonly allowed?: readonly string[] } = {}) =>
  envParsed<readonly string[]>('list', (raw) => {
    const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) return { error: 'must be a comma-separated list' };
    const unknown = options.allowed ? items.filter((i) => !options.allowed!.includes(i)) : [];
    return unknown.length > 0 ? { error: `may only contain ${options.allowed!.join(', ')} (not ${unknown.join(', ')})` } : items;
  }, options.fallback);

/** true/false, 1/0, yes/no, on/off. */
export const envBoolean = (fallback?: boolean) =>
  envParsed<boolean>('boolean', (raw) => {
    const value = raw.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    return { error: 'must be true or false' };
  }, fallback);

/** Makes a variable optional: undefined when unset or empty, otherwise decoded by `codec`. */
export const envOptional = <A>(codec: t.Type<A, string, unknown>) =>
  new t.Type<A | undefined, string | undefined, unknown>(
    `optional(${codec.name})`,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined || u === '' ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  );

/** pino's levels, for LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One value of a fixed set (a profile, a log level, a mail transport). */
export const envChoice = <A extends string>(allowed: readonly A[], fallback?: A) =>
  envParsed<A>(
    `oneOf(${allowed.join('|')})`,
    (raw) => ((allowed as readonly string[]).includes(raw) ? (raw as A) : { error: `must be one of ${allowed.join(', ')}` }),
    fallback,
  );

/**
 * A JSON Web Key Set of PUBLIC keys as JSON text (`{"keys":[...]}`), as the user service serves it
 * at /api/auth/jwks.json. A private key ("d") in a verifying service's environment would be a
 * secret leaked to the wrong place, so it is refused.
 */
export const envJwks = () =>
  envParsed<Jwks>('jwks', (raw) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { error: 'must be a JSON Web Key Set ({"keys":[...]})' };
    }
    const keys = (parsed as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'object' && k !== null && !('d' in k))) {
      return { error: 'must be a JSON Web Key Set of public keys ({"keys":[...]}, no "d")' };
    }
    return parsed as Jwks;
  });
