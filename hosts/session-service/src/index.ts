export { PostgresSessionRepository } from './adapters/postgres/postgres-session-repository.js';
export { createPostgresSessionUnitOfWork, type PostgresSessionUnitOfWorkOptions } from './adapters/postgres/unit-of-work.js';
export { sessionMigrationSets } from './adapters/postgres/migrations.js';
export { sessionGrpcService, sessionGrpcServiceFor, type SessionGrpcUseCases } from './grpc/session-grpc-service.js';
export { GrpcSpeakerDirectory, type GrpcSpeakerDirectoryOptions } from './adapters/grpc/grpc-speaker-directory.js';
