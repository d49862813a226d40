// The contract suites every adapter of this package's ports must pass. They use mocha and chai,
// so they live apart from the in-memory adapters, which hosts also load outside tests.
export { speakerRepositoryContract, type SpeakerRepositoryFixture } from './speaker-repository-contract.js';
export { speakerQueriesContract, type SpeakerQueriesFixture } from './speaker-queries-contract.js';
