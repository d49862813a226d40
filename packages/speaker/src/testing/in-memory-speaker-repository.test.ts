import { InMemorySpeakerStore } from './in-memory-speaker-store.js';
import { speakerQueriesContract } from './speaker-queries-contract.js';
import { speakerRepositoryContract } from './speaker-repository-contract.js';
import { UnitOfWorkSpeakerQueries } from './unit-of-work-speaker-queries.js';

speakerRepositoryContract('in-memory', async () => ({ uow: new InMemorySpeakerStore().uow }));

speakerQueriesContract('in-memory (one unit of work per read)', async () => {
  const { uow } = new InMemorySpeakerStore();
  return { uow, queries: new UnitOfWorkSpeakerQueries(uow) };
});
