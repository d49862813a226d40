export {
  InMemoryUserStore,
  InMemoryUserRepository,
  InMemoryLoginSessionRepository,
  emptyUserStoreState,
  type UserStoreState,
} from './in-memory-user-store.js';
export { FakePasswordHasher, FakeAccessTokenIssuer, RandomRefreshTokens } from './fakes.js';
export { type UserStoreFixture } from './contract-helpers.js';
export { userRepositoryContract } from './user-repository-contract.js';
export { loginSessionRepositoryContract } from './login-session-repository-contract.js';
export {
  passwordHasherContract,
  accessTokenIssuerContract,
  refreshTokensContract,
  type AccessTokenFixture,
} from './credential-contracts.js';
export { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
export { loginThrottleContract, type LoginThrottleFixture } from './login-throttle-contract.js';
