import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { sql } from 'slonik';
import { SESSION_SERVICE } from '@conference/adapters-grpc';
import {
  CancelEvent,
  CreateEvent,
  DeleteEvent,
  GetEvent,
  GetMyEnrollment,
  GetSchedule,
  GetScheduleCalendar,
  LinkSession,
  ListEnrollments,
  ListEvents,
  ListMyEnrollments,
  ProjectSessionChanged,
  ProjectSessionDeleted,
  PublishEvent,
  RecordEnrollmentRequest,
  RecordUnenrollment,
  UnlinkSession,
  UpdateEvent,
  type EventScope,
} from '@conference/event';
import { InMemoryEventStore, InMemorySessionDirectory } from '@conference/event/testing';
import { JwtVerifier, createLogger, requestCorrelation } from '@conference/http-kit';
import { MessageFactory as KernelMessageFactory, RandomIdGenerator, SystemClock } from '@conference/kernel';
import { KickingUnitOfWork } from '@conference/adapters-rabbitmq';
import { GrpcPeerHealth } from './adapters/grpc/grpc-peer-health.js';
import { GrpcSessionDirectory } from './adapters/grpc/grpc-session-directory.js';
import { PostgresEventCatalog } from './adapters/postgres/postgres-event-catalog.js';
import { createPostgresEventUnitOfWork } from './adapters/postgres/unit-of-work.js';
import type { EventServiceConfig } from './config.js';
import {
  AccessTokenVerifier,
  Clock,
  ContainerResources,
  DatabasePool,
  EventCatalog,
  EventUnitOfWork,
  IdGenerator,
  MessageFactory,
  ReadinessProbes,
  ServiceLogger,
  SessionDirectory,
} from './tokens.js';

/** The envelope `source` of everything this service publishes. */
export const SERVICE_NAME = 'event-service';

/**
 * What a composition may supply instead of the profile's default: the postgres profile's pool
 * (main.ts opens it and runs the migrations first; tests pass a test database's), and for tests
 * or the embedded profile a logger, a clock, ids, a session directory or a token verifier.
 */
export interface ContainerOverrides {
  readonly pool?: DatabasePool;
  readonly logger?: ServiceLogger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly sessionDirectory?: SessionDirectory;
  readonly verifier?: AccessTokenVerifier;
}

/**
 * The use cases, each built from its ports with `toResolvedValue` (no decorators in the domain).
 * Singletons: a use case holds nothing per request. The consumers' use cases (RecordEnrollmentRequest,
 * RecordUnenrollment, ProjectSession*) are bound too, for the messaging composition.
 */
export const useCaseModule = (config: EventServiceConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(CreateEvent).toResolvedValue((uow: EventUnitOfWork, ids: IdGenerator, clock: Clock) => new CreateEvent(uow, ids, clock), [EventUnitOfWork, IdGenerator, Clock]).inSingletonScope();
    bind(UpdateEvent).toResolvedValue((uow: EventUnitOfWork, messages: MessageFactory, clock: Clock) => new UpdateEvent(uow, messages, clock), [EventUnitOfWork, MessageFactory, Clock]).inSingletonScope();
    bind(PublishEvent).toResolvedValue((uow: EventUnitOfWork, messages: MessageFactory, clock: Clock) => new PublishEvent(uow, messages, clock), [EventUnitOfWork, MessageFactory, Clock]).inSingletonScope();
    bind(CancelEvent).toResolvedValue((uow: EventUnitOfWork, messages: MessageFactory, clock: Clock) => new CancelEvent(uow, messages, clock), [EventUnitOfWork, MessageFactory, Clock]).inSingletonScope();
    bind(DeleteEvent).toResolvedValue((uow: EventUnitOfWork) => new DeleteEvent(uow), [EventUnitOfWork]).inSingletonScope();
    bind(GetEvent).toResolvedValue((catalog: EventCatalog) => new GetEvent(catalog), [EventCatalog]).inSingletonScope();
    bind(ListEvents).toResolvedValue((catalog: EventCatalog) => new ListEvents(catalog), [EventCatalog]).inSingletonScope();
    bind(ListEnrollments).toResolvedValue((uow: EventUnitOfWork) => new ListEnrollments(uow), [EventUnitOfWork]).inSingletonScope();
    bind(GetMyEnrollment).toResolvedValue((uow: EventUnitOfWork) => new GetMyEnrollment(uow), [EventUnitOfWork]).inSingletonScope();
    bind(ListMyEnrollments).toResolvedValue((uow: EventUnitOfWork) => new ListMyEnrollments(uow), [EventUnitOfWork]).inSingletonScope();
    bind(LinkSession).toResolvedValue((uow: EventUnitOfWork, directory: SessionDirectory) => new LinkSession(uow, directory), [EventUnitOfWork, SessionDirectory]).inSingletonScope();
    bind(UnlinkSession).toResolvedValue((uow: EventUnitOfWork) => new UnlinkSession(uow), [EventUnitOfWork]).inSingletonScope();
    bind(GetSchedule).toResolvedValue((catalog: EventCatalog) => new GetSchedule(catalog), [EventCatalog]).inSingletonScope();
    bind(GetScheduleCalendar)
      .toResolvedValue((catalog: EventCatalog, clock: Clock) => new GetScheduleCalendar(catalog, clock, config.CALENDAR_UID_DOMAIN), [EventCatalog, Clock])
      .inSingletonScope();
    bind(RecordEnrollmentRequest)
      .toResolvedValue((uow: EventUnitOfWork, messages: MessageFactory, clock: Clock) => new RecordEnrollmentRequest(uow, messages, clock), [EventUnitOfWork, MessageFactory, Clock])
      .inSingletonScope();
    bind(RecordUnenrollment)
      .toResolvedValue((uow: EventUnitOfWork, messages: MessageFactory, clock: Clock) => new RecordUnenrollment(uow, messages, clock), [EventUnitOfWork, MessageFactory, Clock])
      .inSingletonScope();
    bind(ProjectSessionChanged).toResolvedValue((uow: EventUnitOfWork) => new ProjectSessionChanged(uow), [EventUnitOfWork]).inSingletonScope();
    bind(ProjectSessionDeleted).toResolvedValue((uow: EventUnitOfWork) => new ProjectSessionDeleted(uow), [EventUnitOfWork]).inSingletonScope();
  });

/** What both profiles share: logger, clock, ids, and the message factory carrying the request id. */
const commonModule = (config: EventServiceConfig, overrides: ContainerOverrides): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind<ServiceLogger>(ServiceLogger).toConstantValue(overrides.logger ?? createLogger(SERVICE_NAME, { level: config.LOG_LEVEL }));
    bind<Clock>(Clock).toConstantValue(overrides.clock ?? new SystemClock());
    bind<IdGenerator>(IdGenerator).toConstantValue(overrides.ids ?? new RandomIdGenerator());
    bind<MessageFactory>(MessageFactory)
      .toResolvedValue((ids: IdGenerator, clock: Clock) => new KernelMessageFactory(SERVICE_NAME, ids, clock, requestCorrelation), [IdGenerator, Clock])
      .inSingletonScope();
  });

/**
 * memory: the event context's in-memory store (its unit of work and catalog) and session
 * directory. Both are also bound under their classes, so tests and the embedded profile can reach
 * the store (to seed it) and the directory (to add sessions, or play a peer that is down).
 */
export const memoryModule = (config: EventServiceConfig, overrides: ContainerOverrides): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(InMemoryEventStore).toConstantValue(new InMemoryEventStore());
    bind<EventUnitOfWork>(EventUnitOfWork).toResolvedValue((store: InMemoryEventStore) => store.uow, [InMemoryEventStore]).inSingletonScope();
    // A composition that puts another store behind the unit of work rebinds the catalog with it (the embedded profile does).
    bind<EventCatalog>(EventCatalog).toResolvedValue((store: InMemoryEventStore) => store.catalog, [InMemoryEventStore]).inSingletonScope();
    bind(InMemorySessionDirectory).toConstantValue(new InMemorySessionDirectory());
    if (overrides.sessionDirectory) bind<SessionDirectory>(SessionDirectory).toConstantValue(overrides.sessionDirectory);
    else bind<SessionDirectory>(SessionDirectory).toService(InMemorySessionDirectory);
    bind<AccessTokenVerifier>(AccessTokenVerifier).toConstantValue(
      overrides.verifier ?? JwtVerifier.local(config.JWKS_JSON ?? { keys: [] }, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    );
    // Nothing outside the process to be ready for.
    bind<ReadinessProbes>(ReadinessProbes).toConstantValue([]);
    bind<ContainerResources>(ContainerResources).toConstantValue({ close: async () => undefined });
  });

/**
 * postgres: the host's PostgreSQL unit of work and event catalog on the pool, the session service
 * over gRPC (deadline, retries, circuit breaker; the request id travels in the metadata), the user
 * service's JWKS over HTTP, and readiness probes for the database and the session service.
 */
export const postgresModule = (config: EventServiceConfig, overrides: ContainerOverrides): ContainerModule =>
  new ContainerModule(({ bind }) => {
    const { pool } = overrides;
    if (!pool) throw new Error('The postgres profile needs the database pool (createContainer(config, { pool }))');
    if (!config.JWKS_URL || !config.SESSION_GRPC_TARGET) throw new Error('The postgres profile needs JWKS_URL and SESSION_GRPC_TARGET');
    const target = config.SESSION_GRPC_TARGET;
    const jwksUrl = config.JWKS_URL;
    bind<DatabasePool>(DatabasePool).toConstantValue(pool);
    // Kicks the outbox relay after a write that added messages committed (main hands it the messaging).
    bind<KickingUnitOfWork<EventScope>>(KickingUnitOfWork).toConstantValue(new KickingUnitOfWork(createPostgresEventUnitOfWork(pool)));
    bind<EventUnitOfWork>(EventUnitOfWork).toService(KickingUnitOfWork);
    bind<EventCatalog>(EventCatalog).toConstantValue(new PostgresEventCatalog(pool));
    bind(GrpcSessionDirectory)
      .toResolvedValue(
        (logger: ServiceLogger) =>
          GrpcSessionDirectory.connect({
            target,
            callerService: SERVICE_NAME,
            correlation: requestCorrelation,
            resilience: { deadlineMs: config.SESSION_GRPC_DEADLINE_MS, attemptTimeoutMs: Math.max(100, Math.floor(config.SESSION_GRPC_DEADLINE_MS / 2)) },
            logger,
          }),
        [ServiceLogger],
      )
      .inSingletonScope();
    if (overrides.sessionDirectory) bind<SessionDirectory>(SessionDirectory).toConstantValue(overrides.sessionDirectory);
    else bind<SessionDirectory>(SessionDirectory).toService(GrpcSessionDirectory);
    bind(GrpcPeerHealth)
      .toResolvedValue(
        (logger: ServiceLogger) => GrpcPeerHealth.connect({ peer: 'session-service (health)', target, callerService: SERVICE_NAME, serviceName: SESSION_SERVICE, logger }),
        [ServiceLogger],
      )
      .inSingletonScope();
    bind<AccessTokenVerifier>(AccessTokenVerifier).toConstantValue(
      overrides.verifier ?? JwtVerifier.remote(jwksUrl, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    );
    bind<ReadinessProbes>(ReadinessProbes)
      .toResolvedValue(
        (health: GrpcPeerHealth): ReadinessProbes => [
          { name: 'database', run: () => pool.query(sql.unsafe`SELECT 1`) },
          // The peer LinkSession calls; /health never asks it (DESIGN §3).
          { name: 'session-service', run: () => health.check() },
        ],
        [GrpcPeerHealth],
      )
      .inSingletonScope();
    bind<ContainerResources>(ContainerResources)
      .toResolvedValue(
        (health: GrpcPeerHealth, directory: GrpcSessionDirectory): ContainerResources => ({
          close: async () => {
            directory.close();
            health.close();
          },
        }),
        [GrpcPeerHealth, GrpcSessionDirectory],
      )
      .inSingletonScope();
  });

/**
 * The one place that knows which adapter serves which port: the use cases, the common pieces and
 * the profile's adapters. The pool is not the container's to close (whoever opened it ends it).
 */
export function createContainer(config: EventServiceConfig, overrides: ContainerOverrides = {}): Container {
  const container = new Container();
  container.load(
    commonModule(config, overrides),
    config.PROFILE === 'postgres' ? postgresModule(config, overrides) : memoryModule(config, overrides),
    useCaseModule(config),
  );
  return container;
}
