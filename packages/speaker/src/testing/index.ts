export { InMemorySpeakerRepository, emptySpeakerState, type SpeakerState } from './in-memory-speaker-repository.js';
export { InMemorySpeakerStore, type InMemorySpeakerStoreOptions } from './in-memory-speaker-store.js';
export { UnitOfWorkSpeakerQueries } from './unit-of-work-speaker-queries.js';
export { aSpeaker, speakerId, userId } from './speaker-builders.js';
