import * as t from 'io-ts';
import { ConfigurationError, LOG_LEVELS, envChoice, envDuration, envOptional, envPort, envPositiveInt, envString, envUrl, loadConfig, type Env } from '@conference/http-kit';

/** What the service composes its ports from: real servers, or everything in memory (tests, the SIGTERM test, later the embedded profile). */
export const PROFILES = ['postgres', 'memory'] as const;
export type Profile = (typeof PROFILES)[number];



/**
 * The speaker service's environment. Defaults let `PROFILE=memory node dist/main.js` start with
 * nothing else set; the postgres profile also needs DATABASE_URL and JWKS_URL (checked below,
 * since io-ts cannot say "required when another variable has this value").
 */
export const SpeakerConfigCodec = t.type({
  PROFILE: envChoice(PROFILES, 'postgres'),
  /** HTTP port. 0 lets the OS choose (tests read the bound port from the "ready" log line). */
  PORT: envPort(3004, { allowZero: true }),
  /** SpeakerService (gRPC) port; 0 lets the OS choose. */
  GRPC_PORT: envPort(50052, { allowZero: true }),
  DATABASE_URL: envOptional(envUrl({ protocols: ['postgres:', 'postgresql:'] })),
  DB_POOL_SIZE: envPositiveInt(10),
  LOG_LEVEL: envChoice(LOG_LEVELS, 'info'),
  /** `iss` and `aud` the user service signs access tokens with. */
  JWT_ISSUER: envString('urn:conference:user-service'),
  JWT_AUDIENCE: envString('urn:conference:api'),
  /** The user service's public keys (postgres profile), fetched and cached. */
  JWKS_URL: envOptional(envUrl({ protocols: ['http:', 'https:'] })),
  /**
   * The public keys as JSON (`{"keys":[...]}`) for the memory profile, where no user service may
   * be running. Absent: no token verifies, so the service serves reads only.
   */
  JWKS_JSON: envOptional(envString()),
  /** Read and validated here; the broker connection is composed by src/messaging. */
  AMQP_URL: envUrl({ protocols: ['amqp:', 'amqps:'], fallback: 'amqp://127.0.0.1:5672' }),
  /** The topic exchange messages are published to (and consumed from); tests use one of their own. */
  AMQP_EXCHANGE: envString('conference'),
  /** How often an idle outbox relay looks for rows nobody kicked it about (writes kick it at once). */
  OUTBOX_RELAY_INTERVAL_MS: envDuration(200),
  /** A readiness check (the database) slower than this counts as down. */
  READY_CHECK_TIMEOUT_MS: envDuration(2000),
  /** Everything must be closed within this bound, or the process exits 1. */
  SHUTDOWN_TIMEOUT_MS: envDuration(20_000),
  /**
   * How long /ready answers 503 before the listener closes, so a balancer that polls it stops
   * sending new requests first (Kubernetes: a few seconds; the gateway retries refused
   * connections on another instance, so 0 is safe behind it).
   */
  SHUTDOWN_DRAIN_MS: envDuration(0),
});

export type SpeakerConfig = t.TypeOf<typeof SpeakerConfigCodec>;

export interface PublicKeys {
  readonly keys: readonly Record<string, unknown>[];
}

/** The key set of JWKS_JSON; a ConfigurationError naming the variable when it is not one. */
export function publicKeysOf(config: Pick<SpeakerConfig, 'JWKS_JSON'>): PublicKeys {
  if (config.JWKS_JSON === undefined) return { keys: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(config.JWKS_JSON);
  } catch {
    throw new ConfigurationError([{ variable: 'JWKS_JSON', message: 'must be JSON' }]);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))) {
    throw new ConfigurationError([{ variable: 'JWKS_JSON', message: 'must be a JSON Web Key Set ({"keys": [...]})' }]);
  }
  return { keys: keys as Record<string, unknown>[] };
}

/** Loads and checks the configuration; throws a ConfigurationError naming every wrong or missing variable. */
export function loadSpeakerConfig(env: Env = process.env): SpeakerConfig {
  const config = loadConfig(SpeakerConfigCodec, env);
  const problems: { variable: string; message: string }[] = [];
  if (config.PROFILE === 'postgres') {
    if (config.DATABASE_URL === undefined) problems.push({ variable: 'DATABASE_URL', message: 'is required when PROFILE=postgres' });
    if (config.JWKS_URL === undefined) problems.push({ variable: 'JWKS_URL', message: 'is required when PROFILE=postgres' });
  }
  if (config.SHUTDOWN_DRAIN_MS * 2 > config.SHUTDOWN_TIMEOUT_MS) {
    problems.push({ variable: 'SHUTDOWN_DRAIN_MS', message: 'must be at most half of SHUTDOWN_TIMEOUT_MS, or closing has no time left' });
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  publicKeysOf(config);
  return config;
}
