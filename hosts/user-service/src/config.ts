import * as t from 'io-ts';
import {
  ConfigurationError,
  LOG_LEVELS,
  envBoolean,
  envChoice,
  envDuration,
  envOptional,
  envPort,
  envPositiveInt,
  envString,
  envUrl,
  loadConfig,
  type Env,
} from '@conference/http-kit';



/** A duration given in whole seconds (a token lifetime): `15m`, `720h`, `900s`. */
const envSeconds = (fallbackSeconds: number) =>
  new t.Type<number, string, unknown>(
    'seconds',
    (u): u is number => typeof u === 'number',
    (u, c) => {
      const ms = envDuration(fallbackSeconds * 1000).validate(u, c);
      if (ms._tag === 'Left') return ms;
      return ms.right >= 1000 && ms.right % 1000 === 0 ? t.success(ms.right / 1000) : t.failure(u, c, 'must be a whole number of seconds, at least 1s (e.g. 15m, 720h)');
    },
    (n) => `${n}s`,
  );

/**
 * JWT_PREVIOUS_KEYS: the keys of a rotation still verifying tokens in circulation, as a JSON array
 * (JWKs, or PEM strings). A JSON array rather than a comma list, since a JWK itself holds commas.
 */
const envKeyList = new t.Type<readonly (string | Record<string, unknown>)[], string, unknown>(
  'keyList',
  (u): u is readonly (string | Record<string, unknown>)[] => Array.isArray(u),
  (u, c) => {
    if (u === undefined || u === '') return t.success([]);
    if (typeof u !== 'string') return t.failure(u, c, 'must be text');
    let parsed: unknown;
    try {
      parsed = JSON.parse(u);
    } catch {
      return t.failure(u, c, 'must be a JSON array of keys (JWK objects or PEM strings)');
    }
    const items = Array.isArray(parsed) ? parsed : [];
    const valid = Array.isArray(parsed) && items.every((k) => typeof k === 'string' || (typeof k === 'object' && k !== null && !Array.isArray(k)));
    return valid ? t.success(items as (string | Record<string, unknown>)[]) : t.failure(u, c, 'must be a JSON array of keys (JWK objects or PEM strings)');
  },
  (keys) => JSON.stringify(keys),
);

/**
 * The user service's environment (every variable is documented in docs of the host's README and
 * below). Defaults make `PROFILE=memory node dist/main.js` start with nothing else set.
 */
export const UserServiceEnv = t.type({
  /** HTTP port. */
  PORT: envPort(3000, { allowZero: true }),
  /** Interface to listen on. */
  HOST: envString('0.0.0.0'),
  /** `memory`: in-memory adapters (tests, one process); `postgres`: the real database (needs DATABASE_URL). */
  PROFILE: envChoice(['memory', 'postgres'] as const, 'memory'),
  DATABASE_URL: envOptional(envUrl({ protocols: ['postgres:', 'postgresql:'] })),
  DB_POOL_SIZE: envPositiveInt(10),
  LOG_LEVEL: envChoice(LOG_LEVELS, 'info'),
  /** `iss` of the access tokens this service signs; every service checks it. */
  JWT_ISSUER: envString('urn:conference:user-service'),
  /** `aud` of the access tokens: the platform's API. */
  JWT_AUDIENCE: envString('urn:conference:api'),
  /**
   * The Ed25519 private key that signs access tokens (a JWK as JSON, or a PKCS#8 PEM; make one with
   * `node packages/http-kit/dist/cli/generate-signing-key.js`). Required with PROFILE=postgres.
   * Every instance MUST have the same key: a token signed by one instance is verified by the others
   * (and by every other service through the JWKS).
   */
  JWT_PRIVATE_KEY: envOptional(envString()),
  /** Keys rotated out whose tokens may still be alive: JSON array; published in the JWKS, never used to sign. */
  JWT_PREVIOUS_KEYS: envKeyList,
  ACCESS_TOKEN_TTL: envSeconds(15 * 60),
  LOGIN_SESSION_TTL: envSeconds(30 * 24 * 60 * 60),
  /** Cache-Control max-age of GET /api/auth/jwks.json. Keep it under the overlap of a key rotation. */
  JWKS_MAX_AGE: envSeconds(300),
  ARGON2_MEMORY_KIB: envPositiveInt(19_456),
  ARGON2_TIME_COST: envPositiveInt(2),
  ARGON2_PARALLELISM: envPositiveInt(1),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: envPositiveInt(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: envPositiveInt(20),
  LOGIN_FAILURE_WINDOW: envSeconds(15 * 60),
  /**
   * Behind a reverse proxy (nginx): take the client address from X-Forwarded-For. Only then; a
   * client reaching the service directly could otherwise pick any address and dodge throttling.
   */
  TRUST_PROXY: envBoolean(false),
  /** The first admin (optional): created or promoted at start-up, idempotently. */
  ADMIN_EMAIL: envOptional(envString()),
  ADMIN_PASSWORD: envOptional(envString()),
  ADMIN_NAME: envString('Administrator'),
  /** The broker (read and validated here; the messaging composition uses it). */
  AMQP_URL: envOptional(envUrl({ protocols: ['amqp:', 'amqps:'] })),
  /** The topic exchange messages are published to (and consumed from); tests use one of their own. */
  AMQP_EXCHANGE: envString('conference'),
  /** How often an idle outbox relay looks for rows nobody kicked it about (writes kick it at once). */
  OUTBOX_RELAY_INTERVAL_MS: envDuration(200),
  /** Bound on graceful shutdown, after which the process exits 1 anyway. */
  SHUTDOWN_TIMEOUT_MS: envDuration(20_000),
  /** Largest JSON body accepted. */
  BODY_LIMIT_BYTES: envPositiveInt(64 * 1024),
});

export type UserServiceConfig = t.TypeOf<typeof UserServiceEnv>;

/**
 * Reads and checks the configuration, including the rules between variables; throws a
 * ConfigurationError naming every variable that is wrong (never its value).
 */
export function loadUserServiceConfig(env: Env = process.env): UserServiceConfig {
  const config = loadConfig(UserServiceEnv, env);
  const problems: { variable: string; message: string }[] = [];
  if (config.PROFILE === 'postgres') {
    if (!config.DATABASE_URL) problems.push({ variable: 'DATABASE_URL', message: 'is required when PROFILE=postgres' });
    // A key generated at start-up would differ per instance and per restart: every token would break.
    if (!config.JWT_PRIVATE_KEY) problems.push({ variable: 'JWT_PRIVATE_KEY', message: 'is required when PROFILE=postgres (every instance must share one key)' });
  }
  if (config.ADMIN_EMAIL && !config.ADMIN_PASSWORD) problems.push({ variable: 'ADMIN_PASSWORD', message: 'is required when ADMIN_EMAIL is set' });
  if (config.ADMIN_PASSWORD && !config.ADMIN_EMAIL) problems.push({ variable: 'ADMIN_EMAIL', message: 'is required when ADMIN_PASSWORD is set' });
  if (config.ARGON2_MEMORY_KIB < 1024) problems.push({ variable: 'ARGON2_MEMORY_KIB', message: 'must be at least 1024' });
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}
