export { PostgresEventCatalog } from './adapters/postgres/postgres-event-catalog.js';
export { PostgresEventRepository } from './adapters/postgres/postgres-event-repository.js';
export { PostgresEnrollmentRepository } from './adapters/postgres/postgres-enrollment-repository.js';
export { PostgresProgrammeRepository } from './adapters/postgres/postgres-programme-repository.js';
export { eventMigrationSets } from './adapters/postgres/migrations.js';
export { createPostgresEventUnitOfWork } from './adapters/postgres/unit-of-work.js';
export { GrpcSessionDirectory, type GrpcSessionDirectoryOptions } from './adapters/grpc/grpc-session-directory.js';
export { createEventMessaging, eventConsumers, type EventMessagingOptions, type EventConsumerDeps } from './messaging/event-messaging.js';
export { GrpcPeerHealth, type GrpcPeerHealthOptions } from './adapters/grpc/grpc-peer-health.js';
export {
  EventServiceConfigCodec,
  loadEventServiceConfig,
  memoryConfig,
  PROFILES,
  type EventServiceConfig,
  type Profile,
} from './config.js';
export { createContainer, useCaseModule, memoryModule, postgresModule, SERVICE_NAME, type ContainerOverrides } from './container.js';
export { createApp, OPENAPI_INFO, type CreateAppOptions } from './app.js';
export { registerEventRoutes, eventRouteUseCases, type EventRouteUseCases } from './http/routes.js';
export * as EventServiceTokens from './tokens.js';
