export {
  pgAdminUrl,
  infrastructureRequired,
  postgresProblem,
  requirePostgres,
  createTestDatabase,
  StatementCounter,
  type TestDatabase,
} from './infrastructure.js';
