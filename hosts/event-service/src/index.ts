export { PostgresEventRepository } from './adapters/postgres/postgres-event-repository.js';
export { PostgresEnrollmentRepository } from './adapters/postgres/postgres-enrollment-repository.js';
export { PostgresProgrammeRepository } from './adapters/postgres/postgres-programme-repository.js';
export { eventMigrationSets } from './adapters/postgres/migrations.js';
export { createPostgresEventUnitOfWork } from './adapters/postgres/unit-of-work.js';
export { GrpcSessionDirectory, type GrpcSessionDirectoryOptions } from './adapters/grpc/grpc-session-directory.js';
