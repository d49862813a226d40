import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { sql, type DatabasePool } from 'slonik';
import { JwtVerifier, createLogger, requestCorrelation, type Jwks } from '@conference/http-kit';
import { MessageFactory, RandomIdGenerator, SystemClock } from '@conference/kernel';
import { KickingUnitOfWork } from '@conference/adapters-rabbitmq';
import { CreateSpeaker, DeleteSpeaker, GetSpeaker, GetSpeakersByIds, ListSpeakers, UpdateSpeaker, type SpeakerScope } from '@conference/speaker';
import { InMemorySpeakerStore, UnitOfWorkSpeakerQueries } from '@conference/speaker/testing';
import { PostgresSpeakerQueries } from './adapters/postgres/postgres-speaker-queries.js';
import { createPostgresSpeakerUnitOfWork } from './adapters/postgres/unit-of-work.js';
import { publicKeysOf, type SpeakerConfig } from './config.js';
import { AccessTokenVerifier, Clock, IdGenerator, ReadinessChecks, ServiceLogger, SpeakerMessageFactory, SpeakerQueries, SpeakerUnitOfWork } from './tokens.js';

export const SERVICE_NAME = 'speaker-service';

/** Things a composition hands in instead of letting the container make them. */
export interface ContainerOverrides {
  /** postgres profile: the pool main.ts opened and migrated. Required there. */
  readonly pool?: DatabasePool;
  /** memory profile: the store to use, so a test (or the embedded profile) can read what was committed. */
  readonly store?: InMemorySpeakerStore;
  readonly logger?: ServiceLogger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** A verifier instead of the profile's (the embedded profile verifies with the signer in the same process). */
  readonly verifier?: AccessTokenVerifier;
}

/**
 * The use cases, each built from the ports it names. The domain classes carry no decorators: the
 * factories here are the only place that knows their constructor arguments.
 */
export const speakerUseCaseModule = new ContainerModule(({ bind }) => {
  bind(CreateSpeaker)
    .toResolvedValue((uow: SpeakerUnitOfWork, ids: IdGenerator, clock: Clock, messages: SpeakerMessageFactory) => new CreateSpeaker(uow, ids, clock, messages), [SpeakerUnitOfWork, IdGenerator, Clock, SpeakerMessageFactory])
    .inSingletonScope();
  bind(UpdateSpeaker)
    .toResolvedValue((uow: SpeakerUnitOfWork, clock: Clock, messages: SpeakerMessageFactory) => new UpdateSpeaker(uow, clock, messages), [SpeakerUnitOfWork, Clock, SpeakerMessageFactory])
    .inSingletonScope();
  bind(DeleteSpeaker)
    .toResolvedValue((uow: SpeakerUnitOfWork, messages: SpeakerMessageFactory) => new DeleteSpeaker(uow, messages), [SpeakerUnitOfWork, SpeakerMessageFactory])
    .inSingletonScope();
  bind(GetSpeaker).toResolvedValue((speakers: SpeakerQueries) => new GetSpeaker(speakers), [SpeakerQueries]).inSingletonScope();
  bind(ListSpeakers).toResolvedValue((uow: SpeakerUnitOfWork) => new ListSpeakers(uow), [SpeakerUnitOfWork]).inSingletonScope();
  bind(GetSpeakersByIds).toResolvedValue((speakers: SpeakerQueries) => new GetSpeakersByIds(speakers), [SpeakerQueries]).inSingletonScope();
});

/** Ports every profile serves the same way: time, ids, and messages stamped with the request's correlation id. */
function commonModule(config: SpeakerConfig, overrides: ContainerOverrides): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Clock>(Clock).toConstantValue(overrides.clock ?? new SystemClock());
    bind<IdGenerator>(IdGenerator).toConstantValue(overrides.ids ?? new RandomIdGenerator());
    bind<SpeakerMessageFactory>(SpeakerMessageFactory)
      .toResolvedValue((ids: IdGenerator, clock: Clock) => new MessageFactory(SERVICE_NAME, ids, clock, requestCorrelation), [IdGenerator, Clock])
      .inSingletonScope();
    bind<ServiceLogger>(ServiceLogger).toConstantValue(overrides.logger ?? createLogger(SERVICE_NAME, { level: config.LOG_LEVEL }));
  });
}

/** PostgreSQL for the speakers and the outbox; keys fetched from the user service's JWKS. */
function postgresModule(config: SpeakerConfig, overrides: ContainerOverrides): ContainerModule {
  const { pool } = overrides;
  if (!pool) throw new Error('The postgres profile needs the database pool (createContainer(config, { pool }))');
  return new ContainerModule(({ bind }) => {
    // Kicks the outbox relay after a write that added messages committed (main hands it the messaging).
    bind<KickingUnitOfWork<SpeakerScope>>(KickingUnitOfWork).toConstantValue(new KickingUnitOfWork(createPostgresSpeakerUnitOfWork(pool)));
    bind<SpeakerUnitOfWork>(SpeakerUnitOfWork).toService(KickingUnitOfWork);
    // Lookups (GetSpeaker, BatchGetSpeakers) skip the transaction: one SELECT on the pool.
    bind<SpeakerQueries>(SpeakerQueries).toConstantValue(new PostgresSpeakerQueries(pool));
    bind<AccessTokenVerifier>(AccessTokenVerifier).toConstantValue(
      overrides.verifier ?? JwtVerifier.remote(config.JWKS_URL!, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    );
    bind<ReadinessChecks>(ReadinessChecks).toConstantValue([{ name: 'database', run: () => pool.oneFirst(sql.unsafe`SELECT 1`) }]);
  });
}

/** The package's in-memory adapters; keys from JWKS_JSON (none: reads only). Nothing outside to be ready for. */
function memoryModule(config: SpeakerConfig, overrides: ContainerOverrides): ContainerModule {
  const store = overrides.store ?? new InMemorySpeakerStore();
  return new ContainerModule(({ bind }) => {
    bind<SpeakerUnitOfWork>(SpeakerUnitOfWork).toConstantValue(store.uow);
    bind<SpeakerQueries>(SpeakerQueries).toConstantValue(new UnitOfWorkSpeakerQueries(store.uow));
    bind<AccessTokenVerifier>(AccessTokenVerifier).toConstantValue(
      overrides.verifier ?? JwtVerifier.local(publicKeysOf(config) as Jwks, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    );
    bind<ReadinessChecks>(ReadinessChecks).toConstantValue([]);
  });
}

/** The one place that decides which adapter serves which port, by PROFILE. */
export function createContainer(config: SpeakerConfig, overrides: ContainerOverrides = {}): Container {
  const container = new Container();
  container.load(
    commonModule(config, overrides),
    config.PROFILE === 'postgres' ? postgresModule(config, overrides) : memoryModule(config, overrides),
    speakerUseCaseModule,
  );
  return container;
}
