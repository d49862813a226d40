export { PostgresSessionRepository } from './adapters/postgres/postgres-session-repository.js';
export { PostgresSessionQueries } from './adapters/postgres/postgres-session-queries.js';
export { createPostgresSessionUnitOfWork, type PostgresSessionUnitOfWorkOptions } from './adapters/postgres/unit-of-work.js';
export { sessionMigrationSets } from './adapters/postgres/migrations.js';
export { sessionGrpcService, sessionGrpcServiceFor, type SessionGrpcUseCases } from './grpc/session-grpc-service.js';
export { GrpcSpeakerDirectory, type GrpcSpeakerDirectoryOptions } from './adapters/grpc/grpc-speaker-directory.js';
export {
  createSessionMessaging,
  sessionConsumers,
  speakerCacheInvalidation,
  type SessionMessagingOptions,
  type SessionConsumerDeps,
  type SpeakerCacheInvalidationOptions,
} from './messaging/session-messaging.js';

// Composition: what another composition (the embedded profile) needs to build this service.
export {
  SessionServiceConfigCodec,
  loadSessionServiceConfig,
  memoryConfig,
  PROFILES,
  type Profile,
  type SessionServiceConfig,
} from './config.js';
export { createContainer, sessionUseCases, postgresProfile, memoryProfile, readinessChecksOf, SERVICE_NAME } from './container.js';
export * as SessionServiceTokens from './tokens.js';
export { createApp, API_INFO } from './app.js';
export { registerRoutes, httpUseCasesOf, type SessionHttpUseCases } from './http/routes.js';
export { createGrpcServer } from './grpc/server.js';
