import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemorySessionDirectory } from './in-memory-session-directory.js';
import { at, uuid, type EventStoreFixture } from './contract-support.js';
import { enrollmentRepositoryContract } from './enrollment-repository-contract.js';
import { eventCatalogContract } from './event-catalog-contract.js';
import { eventRepositoryContract } from './event-repository-contract.js';
import { programmeRepositoryContract } from './programme-repository-contract.js';
import { UnitOfWorkEventCatalog } from './unit-of-work-event-catalog.js';
import { sessionDirectoryContract, type SessionDirectoryFixture } from './session-directory-contract.js';

const store = async (): Promise<EventStoreFixture> => ({ uow: new InMemoryEventStore().uow });

eventRepositoryContract('in-memory', store);
enrollmentRepositoryContract('in-memory', store);
programmeRepositoryContract('in-memory', store);
eventCatalogContract('in-memory', async () => {
  const memory = new InMemoryEventStore();
  return { uow: memory.uow, catalog: memory.catalog };
});
eventCatalogContract('through a unit of work (in-memory)', async () => {
  const memory = new InMemoryEventStore();
  return { uow: memory.uow, catalog: new UnitOfWorkEventCatalog(memory.uow) };
});

sessionDirectoryContract('in-memory', async (): Promise<SessionDirectoryFixture> => {
  const known = [
    { sessionId: uuid(500), eventId: uuid(1), title: 'Keynote', startsAt: at(0), endsAt: at(45), room: 'Room 1', version: 3 },
    { sessionId: uuid(501), eventId: null, title: 'Standalone workshop', startsAt: at(60), endsAt: at(180), room: 'Lab', version: 1 },
  ];
  const directory = new InMemorySessionDirectory(known);
  return {
    directory,
    known,
    goOffline: async () => {
      directory.reachable = false;
    },
  };
});
