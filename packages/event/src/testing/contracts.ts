// The contract suites every adapter of this package's ports must pass. They use mocha and chai,
// so they live apart from the in-memory adapters, which hosts also load outside tests.
export { eventRepositoryContract } from './event-repository-contract.js';
export { eventCatalogContract } from './event-catalog-contract.js';
export { enrollmentRepositoryContract } from './enrollment-repository-contract.js';
export { programmeRepositoryContract } from './programme-repository-contract.js';
export { sessionDirectoryContract, type SessionDirectoryFixture } from './session-directory-contract.js';
