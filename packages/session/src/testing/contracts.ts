// The contract suites every adapter of this package's ports must pass. They use mocha and chai,
// so they live apart from the in-memory adapters, which hosts also load outside tests.
export { sessionRepositoryContract, type SessionRepositoryFixture } from './session-repository-contract.js';
export { speakerDirectoryContract, type SpeakerDirectoryFixture } from './speaker-directory-contract.js';
export { sessionQueriesContract, type SessionQueriesFixture } from './session-queries-contract.js';
