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
 * The event service's configuration, from environment variables decoded once at start-up: a wrong
 * or missing value stops the host with a message naming the variable (DESIGN §3, the issue).
 *
 * Two profiles:
 * - `postgres` (the default, what runs in the stack and in containers): PostgreSQL, the user
 *   service's JWKS over HTTP, the session service over gRPC, RabbitMQ. DATABASE_URL, JWKS_URL,
 *   SESSION_GRPC_TARGET and AMQP_URL are required.
 * - `memory`: in-memory adapters for tests, the SIGTERM test and the embedded profile; nothing else
 *   is required. Tokens are verified against JWKS_JSON (no keys when unset: every token is refused,
 *   anonymous reads still work).
 */

export const PROFILES = ['postgres', 'memory'] as const;
export type Profile = (typeof PROFILES)[number];

const fields = t.type({
  PROFILE: envChoice<Profile>(PROFILES, 'postgres'),
  PORT: envPort(3002, { allowZero: true }),
  HOST: envString('0.0.0.0'),
  LOG_LEVEL: envChoice(LOG_LEVELS, 'info'),
  DATABASE_URL: envOptional(envUrl({ protocols: ['postgres:', 'postgresql:'] })),
  DB_POOL_SIZE: envPositiveInt(10),
  JWT_ISSUER: envString('urn:conference:user-service'),
  JWT_AUDIENCE: envString('urn:conference:api'),
  JWKS_URL: envOptional(envUrl({ protocols: ['http:', 'https:'] })),
  JWKS_JSON: envOptional(envJwks()),
  SESSION_GRPC_TARGET: envOptional(envParsed('grpcTarget', parseGrpcTarget)),
  /** The budget of one ValidateSession call, retries included: the REST caller waits this long at most. */
  SESSION_GRPC_DEADLINE_MS: envDuration(1500),
  AMQP_URL: envOptional(envUrl({ protocols: ['amqp:', 'amqps:'] })),
  /** The topic exchange messages are published to (and consumed from); tests use one of their own. */
  AMQP_EXCHANGE: envString('conference'),
  /** How often an idle outbox relay looks for rows nobody kicked it about (writes kick it at once). */
  OUTBOX_RELAY_INTERVAL_MS: envDuration(200),
  /**
   * Appended to this service's consumer queue names (`event.enrollments.<suffix>`): for tests and
   * side-by-side stacks on one broker. Unset in production, where the names are DESIGN §4's.
   */
  AMQP_QUEUE_SUFFIX: envOptional(envString()),
  /** A readiness check slower than this counts as down (under the probe's own timeout). */
  READY_CHECK_TIMEOUT_MS: envDuration(2000),
  /**
   * On SIGTERM, how long /ready answers 503 while the listener still accepts, before it closes:
   * balancers stop routing here first, and requests already on their way are read and answered
   * rather than reset with the listener.
   */
  SHUTDOWN_DRAIN_DELAY_MS: envDuration(1000),
  /** The whole graceful shutdown; under Kubernetes' 30 s grace period. */
  SHUTDOWN_TIMEOUT_MS: envDuration(20_000),
  /** Right-hand side of iCalendar UIDs, so they stay unique across calendars. */
  CALENDAR_UID_DOMAIN: envString('events.conference.invalid'),
});

type Fields = t.TypeOf<typeof fields>;

/** What `postgres` needs beyond the common fields. */
const REQUIRED_BY_POSTGRES = ['DATABASE_URL', 'JWKS_URL', 'SESSION_GRPC_TARGET', 'AMQP_URL'] as const;

export type EventServiceConfig = Fields;

/**
 * The codec loadConfig decodes the environment with: the fields, then what the profile requires.
 * Only the listed variables end up in the result (exact), so no other secret of the environment
 * is carried around.
 */
export const EventServiceConfigCodec = new t.Type<EventServiceConfig, unknown, unknown>(
  'EventServiceConfig',
  (u): u is EventServiceConfig => fields.is(u),
  (u, c) => {
    const decoded = t.exact(fields).validate(u, c);
    // What the profile requires is checked from the raw values too, so one run names every problem.
    const raw = (typeof u === 'object' && u !== null ? u : {}) as Record<string, unknown>;
    const profile = isLeft(decoded) ? String(raw['PROFILE'] ?? '').trim() || 'postgres' : decoded.right.PROFILE;
    const missing = profile === 'postgres' ? REQUIRED_BY_POSTGRES.filter((name) => raw[name] === undefined || raw[name] === '') : [];
    const failures: t.Errors = missing.map((name) => ({
      value: undefined,
      context: [...c, { key: name, type: fields.props[name], actual: undefined }],
      message: 'is required when PROFILE=postgres',
    }));
    if (isLeft(decoded)) return t.failures([...decoded.left, ...failures]);
    return failures.length === 0 ? t.success(decoded.right) : t.failures(failures);
  },
  (config) => t.exact(fields).encode(config),
);

/** The configuration from `env`; throws http-kit's ConfigurationError naming every wrong variable. */
export const loadEventServiceConfig = (env: Env = process.env): EventServiceConfig => loadConfig(EventServiceConfigCodec, env);

/** A memory-profile configuration for tests and embedding: the defaults with `overrides` on top. */
export const memoryConfig = (overrides: Env = {}): EventServiceConfig => loadEventServiceConfig({ PROFILE: 'memory', LOG_LEVEL: 'silent', ...overrides });
