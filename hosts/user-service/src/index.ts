export { PostgresUserRepository } from './adapters/postgres/postgres-user-repository.js';
export { PostgresLoginSessionRepository } from './adapters/postgres/postgres-login-session-repository.js';
export { userMigrationSets } from './adapters/postgres/migrations.js';
export { createPostgresUserUnitOfWork, type PostgresUserScope } from './adapters/postgres/unit-of-work.js';
