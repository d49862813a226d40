// The contract suites every adapter of this package's ports must pass. They use mocha and chai,
// so they live apart from the in-memory adapters, which hosts also load outside tests.
export { userRepositoryContract } from './user-repository-contract.js';
export { loginSessionRepositoryContract } from './login-session-repository-contract.js';
export {
  passwordHasherContract,
  accessTokenIssuerContract,
  refreshTokensContract,
  type AccessTokenFixture,
} from './credential-contracts.js';
export { loginThrottleContract, type LoginThrottleFixture } from './login-throttle-contract.js';
