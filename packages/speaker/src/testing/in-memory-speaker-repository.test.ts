import { InMemorySpeakerStore } from './in-memory-speaker-store.js';
import { speakerRepositoryContract } from './speaker-repository-contract.js';

speakerRepositoryContract('in-memory', async () => ({ uow: new InMemorySpeakerStore().uow }));
