export {
  InMemoryUserStore,
  InMemoryUserRepository,
  InMemoryLoginSessionRepository,
  emptyUserStoreState,
  type UserStoreState,
} from './in-memory-user-store.js';
export { FakePasswordHasher, FakeAccessTokenIssuer, RandomRefreshTokens } from './fakes.js';
export { type UserStoreFixture } from './contract-helpers.js';
export { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
