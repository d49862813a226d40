export { InMemoryEventStore } from './in-memory-event-store.js';
export { emptyEventStoreState, type EventStoreState } from './event-store-state.js';
export { InMemoryEventRepository } from './in-memory-event-repository.js';
export { InMemoryEnrollmentRepository } from './in-memory-enrollment-repository.js';
export { InMemoryProgrammeRepository } from './in-memory-programme-repository.js';
export { InMemorySessionDirectory } from './in-memory-session-directory.js';
export { type EventStoreFixture, uuid, at, anEvent, anEnrollment, anEntry } from './contract-support.js';
