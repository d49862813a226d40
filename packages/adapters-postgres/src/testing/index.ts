export {
  pgAdminUrl,
  infrastructureRequired,
  postgresProblem,
  requirePostgres,
  createTestDatabase,
  countingStatements,
  type CountedPool,
  type TestDatabase,
} from './infrastructure.js';
