export {
  pgAdminUrl,
  infrastructureRequired,
  postgresProblem,
  requirePostgres,
  createTestDatabase,
  type TestDatabase,
} from './infrastructure.js';
