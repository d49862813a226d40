import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { GrpcPeer, HEALTH_SERVICE, SPEAKER_SERVICE } from '@conference/adapters-grpc';
import { createDatabasePool } from '@conference/adapters-postgres';
import { KickingUnitOfWork } from '@conference/adapters-rabbitmq';
import { JwtVerifier, createLogger, requestCorrelation } from '@conference/http-kit';
import { MessageFactory as KernelMessageFactory, RandomIdGenerator, SystemClock } from '@conference/kernel';
import {
  AddSpeaker,
  CachingSpeakerDirectory,
  CreateSession,
  DeleteSession,
  GetSession,
  GetSessionsByIds,
  ListSessions,
  RemoveSpeaker,
  UpdateSession,
  ValidateSession,
  type SessionScope,
} from '@conference/session';
import { InMemorySpeakerDirectory as InMemoryDirectory, UnitOfWorkSessionQueries, createInMemorySessionStore } from '@conference/session/testing';
import { sql } from 'slonik';
import { GrpcSpeakerDirectory } from './adapters/grpc/grpc-speaker-directory.js';
import { PostgresSessionQueries } from './adapters/postgres/postgres-session-queries.js';
import { createPostgresSessionUnitOfWork } from './adapters/postgres/unit-of-work.js';
import type { SessionServiceConfig } from './config.js';
import {
  AccessTokenVerifier,
  CachedSpeakerDirectory,
  Clock,
  DatabasePool,
  IdGenerator,
  InMemorySessionStore,
  InMemorySpeakerDirectory,
  Logger,
  MessageFactory,
  ReadinessCheck,
  SessionQueries,
  SessionUnitOfWork,
  SpeakerDirectory,
} from './tokens.js';

/**
 * The one place that knows which adapter serves which port. Domain classes carry no decorators:
 * each use case is built by a factory naming the tokens of its constructor arguments.
 *
 * Resolve with `getAsync`: the postgres profile's pool is created asynchronously.
 * `unbindAllAsync()` closes what the container opened (pool, gRPC channels) through the
 * bindings' deactivation hooks: that is the last shutdown step.
 */

export const SERVICE_NAME = 'session-service';

/** Every use case of the session context, as singletons over the bound ports. */
export const sessionUseCases = new ContainerModule(({ bind }) => {
  bind(CreateSession)
    .toResolvedValue((uow: SessionUnitOfWork, speakers: SpeakerDirectory, ids: IdGenerator, clock: Clock, messages: MessageFactory) => new CreateSession(uow, speakers, ids, clock, messages), [SessionUnitOfWork, SpeakerDirectory, IdGenerator, Clock, MessageFactory])
    .inSingletonScope();
  bind(UpdateSession)
    .toResolvedValue((uow: SessionUnitOfWork, speakers: SpeakerDirectory, clock: Clock, messages: MessageFactory) => new UpdateSession(uow, speakers, clock, messages), [SessionUnitOfWork, SpeakerDirectory, Clock, MessageFactory])
    .inSingletonScope();
  bind(DeleteSession)
    .toResolvedValue((uow: SessionUnitOfWork, messages: MessageFactory) => new DeleteSession(uow, messages), [SessionUnitOfWork, MessageFactory])
    .inSingletonScope();
  // Display only, so it may read speakers through the cache; the writes above check them uncached.
  bind(GetSession)
    .toResolvedValue((sessions: SessionQueries, speakers: CachedSpeakerDirectory) => new GetSession(sessions, speakers), [SessionQueries, CachedSpeakerDirectory])
    .inSingletonScope();
  bind(ListSessions)
    .toResolvedValue((uow: SessionUnitOfWork) => new ListSessions(uow), [SessionUnitOfWork])
    .inSingletonScope();
  bind(AddSpeaker)
    .toResolvedValue((uow: SessionUnitOfWork, speakers: SpeakerDirectory, clock: Clock, messages: MessageFactory) => new AddSpeaker(uow, speakers, clock, messages), [SessionUnitOfWork, SpeakerDirectory, Clock, MessageFactory])
    .inSingletonScope();
  bind(RemoveSpeaker)
    .toResolvedValue((uow: SessionUnitOfWork, clock: Clock, messages: MessageFactory) => new RemoveSpeaker(uow, clock, messages), [SessionUnitOfWork, Clock, MessageFactory])
    .inSingletonScope();
  bind(ValidateSession)
    .toResolvedValue((sessions: SessionQueries) => new ValidateSession(sessions), [SessionQueries])
    .inSingletonScope();
  bind(GetSessionsByIds)
    .toResolvedValue((sessions: SessionQueries) => new GetSessionsByIds(sessions), [SessionQueries])
    .inSingletonScope();
});

/** What every profile shares: time, ids, and messages that carry the request id as correlation. */
const commonPorts = (config: SessionServiceConfig) =>
  new ContainerModule(({ bind }) => {
    bind(Logger).toConstantValue(createLogger(SERVICE_NAME, { level: config.LOG_LEVEL }));
    bind(Clock).toConstantValue(new SystemClock());
    bind(IdGenerator).toConstantValue(new RandomIdGenerator());
    bind(MessageFactory)
      .toResolvedValue((ids: IdGenerator, clock: Clock) => new KernelMessageFactory(SERVICE_NAME, ids, clock, requestCorrelation), [IdGenerator, Clock])
      .inSingletonScope();
    // Over whatever serves SpeakerDirectory (gRPC, in memory, a composition's rebinding). It passes
    // every call through until main.ts feeds it invalidations, so a composition without that feed
    // never shows stale speakers.
    bind(CachedSpeakerDirectory)
      .toResolvedValue((directory: SpeakerDirectory, clock: Clock) => new CachingSpeakerDirectory(directory, {
        clock,
        ttlMs: config.SPEAKER_CACHE_TTL_MS,
        maxEntries: config.SPEAKER_CACHE_MAX_ENTRIES,
      }), [SpeakerDirectory, Clock])
      .inSingletonScope();
  });

/** The `postgres` profile: PostgreSQL, the speaker service over gRPC, the user service's JWKS. */
export const postgresProfile = (config: SessionServiceConfig) =>
  new ContainerModule(({ bind }) => {
    const required = <K extends 'DATABASE_URL' | 'JWKS_URL' | 'SPEAKER_GRPC_TARGET'>(name: K): string => {
      const value = config[name];
      // The config codec already refuses a postgres profile without them; this keeps the types honest.
      if (value === undefined) throw new Error(`${name} is required when PROFILE=postgres`);
      return value;
    };
    bind<DatabasePool>(DatabasePool)
      .toResolvedValue(() => createDatabasePool(required('DATABASE_URL'), { maxPoolSize: config.DB_POOL_SIZE, applicationName: SERVICE_NAME }))
      .inSingletonScope()
      .onDeactivation((pool) => pool.end());
    // Kicks the outbox relay after a write that added messages committed (main hands it the messaging).
    bind<KickingUnitOfWork<SessionScope>>(KickingUnitOfWork)
      .toResolvedValue((pool: DatabasePool) => new KickingUnitOfWork<SessionScope>(createPostgresSessionUnitOfWork(pool, { lockTimeoutMs: config.SCHEDULE_LOCK_TIMEOUT_MS })), [DatabasePool])
      .inSingletonScope();
    bind(SessionUnitOfWork).toService(KickingUnitOfWork);
    bind(SessionQueries).toResolvedValue((pool: DatabasePool) => new PostgresSessionQueries(pool), [DatabasePool]).inSingletonScope();
    bind(GrpcSpeakerDirectory)
      .toResolvedValue((logger: Logger) => GrpcSpeakerDirectory.connect({
        target: required('SPEAKER_GRPC_TARGET'),
        callerService: SERVICE_NAME,
        correlation: requestCorrelation,
        resilience: { deadlineMs: config.SPEAKER_GRPC_DEADLINE_MS },
        logger,
      }), [Logger])
      .inSingletonScope()
      .onDeactivation((directory) => directory.close());
    bind(SpeakerDirectory).toService(GrpcSpeakerDirectory);
    bind(AccessTokenVerifier).toConstantValue(JwtVerifier.remote(required('JWKS_URL'), { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }));

    bind(ReadinessCheck)
      .toResolvedValue((pool: DatabasePool): ReadinessCheck => ({ name: 'database', run: () => pool.oneFirst(sql.unsafe`SELECT 1`) }), [DatabasePool])
      .inSingletonScope();
    bind<GrpcPeer>(SpeakerServiceHealth)
      .toResolvedValue((logger: Logger) => new GrpcPeer({
        peer: 'speaker-service',
        service: HEALTH_SERVICE,
        target: required('SPEAKER_GRPC_TARGET'),
        callerService: SERVICE_NAME,
        // A probe must answer within the readiness timeout and must not hide an outage behind retries.
        resilience: { deadlineMs: 1000, attemptTimeoutMs: 1000, retry: { maxAttempts: 1 } },
        logger,
      }), [Logger])
      .inSingletonScope()
      .onDeactivation((peer) => peer.close());
    bind(ReadinessCheck)
      .toResolvedValue((peer: GrpcPeer): ReadinessCheck => ({ name: 'speaker-service', run: () => speakerServiceServing(peer) }), [SpeakerServiceHealth])
      .inSingletonScope();
  });

/** A gRPC channel to the speaker service's grpc.health.v1, for /ready. */
const SpeakerServiceHealth = Symbol.for('SpeakerServiceHealth');

async function speakerServiceServing(peer: GrpcPeer): Promise<void> {
  const answer = await peer.unary<{ service: string }, { status: string }>('Check', { service: SPEAKER_SERVICE });
  if (!answer.ok) throw new Error(`speaker service health: ${GrpcPeer.describe(answer.error)}`);
  if (answer.value.status !== 'SERVING') throw new Error(`speaker service is ${answer.value.status}`);
}

/**
 * The `memory` profile: the context's in-memory adapters. Tests reach the store and the directory
 * through their own tokens (to put speakers in, or look at the outbox).
 */
export const memoryProfile = (config: SessionServiceConfig) =>
  new ContainerModule(({ bind }) => {
    bind(InMemorySessionStore).toConstantValue(createInMemorySessionStore());
    bind(SessionUnitOfWork).toResolvedValue((store: InMemorySessionStore) => store.uow, [InMemorySessionStore]).inSingletonScope();
    bind(SessionQueries).toResolvedValue((store: InMemorySessionStore) => new UnitOfWorkSessionQueries(store.uow), [InMemorySessionStore]).inSingletonScope();
    bind(InMemorySpeakerDirectory).toConstantValue(new InMemoryDirectory());
    bind(SpeakerDirectory).toService(InMemorySpeakerDirectory);
    // No JWKS_JSON: a key set that verifies no token; anonymous reads still work.
    bind(AccessTokenVerifier).toConstantValue(JwtVerifier.local(config.JWKS_JSON ?? { keys: [] }, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }));
  });

/**
 * The container of the session service for `config.PROFILE`. `overrides` is loaded last and may
 * `rebind` any token (a test's decorated store, an existing pool, a speaker directory double).
 */
export async function createContainer(config: SessionServiceConfig, overrides?: ContainerModule): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });
  await container.loadAsync(
    commonPorts(config),
    config.PROFILE === 'postgres' ? postgresProfile(config) : memoryProfile(config),
    sessionUseCases,
    ...(overrides ? [overrides] : []),
  );
  return container;
}

/** The readiness checks the profile bound (none in memory: nothing there can be unreachable). */
export async function readinessChecksOf(container: Container): Promise<ReadinessCheck[]> {
  return container.isBound(ReadinessCheck) ? container.getAllAsync<ReadinessCheck>(ReadinessCheck) : [];
}
