import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parseGrpcTarget } from '@conference/adapters-grpc';
import {
  envChoice,
  envDuration,
  envJwks,
  envOptional,
  envParsed,
  envPort,
  envPositiveInt,
  envString,
  envUrl,
  loadConfig,
  LOG_LEVELS,
  type Env,
} from '@conference/http-kit';

/**
 * The session service's configuration, from environment variables decoded once at start-up: a
 * wrong or missing value stops the host with a message naming the variable.
 *
 * Two profiles:
 * - `postgres` (the default: the stack and containers): PostgreSQL, the user service's JWKS over
 *   HTTP, the speaker service over gRPC, RabbitMQ. DATABASE_URL, JWKS_URL, SPEAKER_GRPC_TARGET and
 *   AMQP_URL are required.
 * - `memory`: in-memory adapters (tests, the SIGTERM test, later the embedded profile); nothing is
 *   required. Tokens are verified against JWKS_JSON (no keys when unset: every token is refused,
 *   anonymous reads still work).
 */

export const PROFILES = ['postgres', 'memory'] as const;
export type Profile = (typeof PROFILES)[number];

const fields = t.type({
  PROFILE: envChoice<Profile>(PROFILES, 'postgres'),
  /** HTTP port; 0 lets the OS choose (tests read the bound port from the "ready" log line). */
  PORT: envPort(3003, { allowZero: true }),
  HOST: envString('0.0.0.0'),
  /** The SessionService gRPC server (ValidateSession, GetSession, grpc.health.v1). */
  GRPC_PORT: envPort(50051, { allowZero: true }),
  LOG_LEVEL: envChoice(LOG_LEVELS, 'info'),
  DATABASE_URL: envOptional(envUrl({ protocols: ['postgres:', 'postgresql:'] })),
  DB_POOL_SIZE: envPositiveInt(10),
  /** How long a booking waits for a speaker's or room's schedule lock before it answers 503. */
  SCHEDULE_LOCK_TIMEOUT_MS: envDuration(5000),
  JWT_ISSUER: envString('urn:conference:user-service'),
  JWT_AUDIENCE: envString('urn:conference:api'),
  JWKS_URL: envOptional(envUrl({ protocols: ['http:', 'https:'] })),
  JWKS_JSON: envOptional(envJwks()),
  SPEAKER_GRPC_TARGET: envOptional(envParsed('grpcTarget', parseGrpcTarget)),
  /** The budget of one BatchGetSpeakers call, retries included: a write waits this long at most for the speaker service. */
  SPEAKER_GRPC_DEADLINE_MS: envDuration(1500),
  /**
   * How long GET /api/sessions/:id may show a speaker summary without asking the speaker service
   * again. speaker.updated/deleted invalidate it at once; this bounds staleness when they stop coming.
   */
  SPEAKER_CACHE_TTL_MS: envDuration(30_000),
  /** Speaker summaries cached per instance at most (about 200 bytes each). */
  SPEAKER_CACHE_MAX_ENTRIES: envPositiveInt(10_000),
  AMQP_URL: envOptional(envUrl({ protocols: ['amqp:', 'amqps:'] })),
  /** The topic exchange messages are published to (and consumed from); tests use one of their own. */
  AMQP_EXCHANGE: envString('conference'),
  /** How often an idle outbox relay looks for rows nobody kicked it about (writes kick it at once). */
  OUTBOX_RELAY_INTERVAL_MS: envDuration(200),
  /**
   * Appended to this service's consumer queue names (`session.speaker-deleted.<suffix>`): for tests and
   * side-by-side stacks on one broker. Unset in production, where the names are DESIGN §4's.
   */
  AMQP_QUEUE_SUFFIX: envOptional(envString()),
  /** The largest JSON body accepted (413 beyond). A session with a full abstract is well under 16 kB. */
  BODY_LIMIT_BYTES: envPositiveInt(64 * 1024),
  /**
   * After SIGTERM, how long the instance keeps accepting while /ready answers 503, so the balancer
   * stops choosing it before its listener closes (connections still queued in the listen backlog
   * when it closes would be reset, not answered).
   */
  SHUTDOWN_DRAIN_DELAY_MS: envDuration(2000),
  /** The whole graceful shutdown, drain delay included; under Kubernetes' 30 s grace period. */
  SHUTDOWN_TIMEOUT_MS: envDuration(20_000),
});

export type SessionServiceConfig = t.TypeOf<typeof fields>;

/** What `postgres` needs beyond the common fields. */
const REQUIRED_BY_POSTGRES = ['DATABASE_URL', 'JWKS_URL', 'SPEAKER_GRPC_TARGET', 'AMQP_URL'] as const;

/**
 * The codec loadConfig decodes the environment with: the fields, then what the profile requires.
 * Only the listed variables end up in the result (exact), so no other secret of the environment
 * is carried around.
 */
export const SessionServiceConfigCodec = new t.Type<SessionServiceConfig, unknown, unknown>(
  'SessionServiceConfig',
  (u): u is SessionServiceConfig => fields.is(u),
  (u, c) => {
    const decoded = t.exact(fields).validate(u, c);
    if (isLeft(decoded)) return decoded;
    const config = decoded.right;
    if (config.PROFILE !== 'postgres') return t.success(config);
    const missing = REQUIRED_BY_POSTGRES.filter((name) => config[name] === undefined);
    if (missing.length === 0) return t.success(config);
    return t.failures(missing.map((name) => ({
      value: undefined,
      context: [...c, { key: name, type: fields.props[name], actual: undefined }],
      message: 'is required when PROFILE=postgres',
    })));
  },
  (config) => t.exact(fields).encode(config),
);

/** The configuration from `env`; throws http-kit's ConfigurationError naming every wrong variable. */
export const loadSessionServiceConfig = (env: Env = process.env): SessionServiceConfig => loadConfig(SessionServiceConfigCodec, env);

/** A memory-profile configuration for tests and embedding: the defaults with `overrides` on top. */
export const memoryConfig = (overrides: Env = {}): SessionServiceConfig =>
  loadSessionServiceConfig({ PROFILE: 'memory', LOG_LEVEL: 'silent', ...overrides });
