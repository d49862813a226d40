export { PostgresSessionRepository } from './adapters/postgres/postgres-session-repository.js';
export { createPostgresSessionUnitOfWork, type PostgresSessionUnitOfWorkOptions } from './adapters/postgres/unit-of-work.js';
export { sessionMigrationSets } from './adapters/postgres/migrations.js';
