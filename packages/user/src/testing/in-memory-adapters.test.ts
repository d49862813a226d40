import { FakeAccessTokenIssuer, FakePasswordHasher, RandomRefreshTokens } from './fakes.js';
import { accessTokenIssuerContract, passwordHasherContract, refreshTokensContract } from './credential-contracts.js';
import { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
import { InMemoryUserStore } from './in-memory-user-store.js';
import { loginThrottleContract } from './login-throttle-contract.js';
import { loginSessionRepositoryContract } from './login-session-repository-contract.js';
import { userRepositoryContract } from './user-repository-contract.js';

const makeStore = async () => ({ uow: new InMemoryUserStore().uow });

userRepositoryContract('in-memory', makeStore);
loginSessionRepositoryContract('in-memory', makeStore);
passwordHasherContract('fake (salted SHA-256)', async () => new FakePasswordHasher());
accessTokenIssuerContract('fake', async () => {
  const issuer = new FakeAccessTokenIssuer();
  return { issuer, read: async (token) => issuer.read(token) };
});
refreshTokensContract('random (node:crypto)', async () => new RandomRefreshTokens());
loginThrottleContract('in-memory', async () => {
  const throttle = new InMemoryLoginThrottle();
  return { throttle, sibling: throttle };
});
