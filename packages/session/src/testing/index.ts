export { InMemorySessionRepository, emptySessionState, type SessionState } from './in-memory-session-repository.js';
export { InMemoryScheduleLocks } from './in-memory-schedule-locks.js';
export { InMemorySpeakerDirectory } from './in-memory-speaker-directory.js';
export { createInMemorySessionStore, type InMemorySessionStore } from './in-memory-session-store.js';
export { UnitOfWorkSessionQueries } from './unit-of-work-session-queries.js';
