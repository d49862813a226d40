export { InMemorySpeakerRepository, emptySpeakerState, type SpeakerState } from './in-memory-speaker-repository.js';
export { InMemorySpeakerStore, type InMemorySpeakerStoreOptions } from './in-memory-speaker-store.js';
