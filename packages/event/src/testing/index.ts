export { InMemoryEventStore } from './in-memory-event-store.js';
export { emptyEventStoreState, type EventStoreState } from './event-store-state.js';
export { InMemoryEventCatalog } from './in-memory-event-catalog.js';
export { UnitOfWorkEventCatalog } from './unit-of-work-event-catalog.js';
export { InMemoryEventRepository } from './in-memory-event-repository.js';
export { InMemoryEnrollmentRepository } from './in-memory-enrollment-repository.js';
export { InMemoryProgrammeRepository } from './in-memory-programme-repository.js';
export { InMemorySessionDirectory } from './in-memory-session-directory.js';
export { type EventStoreFixture, type EventCatalogFixture, uuid, at, anEvent, anEnrollment, anEntry } from './contract-support.js';
