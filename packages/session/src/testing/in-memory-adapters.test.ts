import { FixedClock, InMemoryTransactions, InMemoryUnitOfWork } from '@conference/kernel/testing';
import { CachingSpeakerDirectory } from '../application/caching-speaker-directory.js';
import type { SessionRepository } from '../ports/session-repository.js';
import { InMemorySessionRepository, emptySessionState, type SessionState } from './in-memory-session-repository.js';
import { InMemorySpeakerDirectory } from './in-memory-speaker-directory.js';
import { sessionQueriesContract } from './session-queries-contract.js';
import { sessionRepositoryContract } from './session-repository-contract.js';
import { UnitOfWorkSessionQueries } from './unit-of-work-session-queries.js';
import { speakerDirectoryContract } from './speaker-directory-contract.js';

sessionRepositoryContract('in-memory', async () => {
  const transactions = new InMemoryTransactions(emptySessionState());
  return { uow: new InMemoryUnitOfWork<SessionState, { sessions: SessionRepository }>(transactions, (state) => ({ sessions: new InMemorySessionRepository(state) })) };
});

sessionQueriesContract('in-memory (one unit of work per read)', async () => {
  const transactions = new InMemoryTransactions(emptySessionState());
  const uow = new InMemoryUnitOfWork<SessionState, { sessions: SessionRepository }>(transactions, (state) => ({ sessions: new InMemorySessionRepository(state) }));
  return { uow, queries: new UnitOfWorkSessionQueries(uow) };
});

const known = [
  { id: '0c5a3f0e-7b1d-4d6a-9a51-2f1e8b7c6d01', name: 'Ada Lovelace', headline: 'Analyst', company: 'Engines Ltd' },
  { id: '0c5a3f0e-7b1d-4d6a-9a51-2f1e8b7c6d02', name: 'Grace Hopper', headline: 'Compiler pioneer', company: 'US Navy' },
  { id: '0c5a3f0e-7b1d-4d6a-9a51-2f1e8b7c6d03', name: 'Barbara Liskov', headline: '', company: 'MIT' },
];

speakerDirectoryContract('in-memory', async () => ({
  directory: new InMemorySpeakerDirectory(known),
  known,
  unreachable: async () => {
    const down = new InMemorySpeakerDirectory(known);
    down.setReachable(false);
    return down;
  },
}));

// Live, so answers after the first come from the cache: the decorator must keep the port's promises.
const cached = (inner: InMemorySpeakerDirectory): CachingSpeakerDirectory => {
  const cache = new CachingSpeakerDirectory(inner, { clock: new FixedClock() });
  cache.invalidationsLive();
  return cache;
};

speakerDirectoryContract('CachingSpeakerDirectory over in-memory, warmed', async () => {
  const directory = cached(new InMemorySpeakerDirectory(known));
  await directory.getSpeakers(known.map((s) => s.id));
  return {
    directory,
    known,
    unreachable: async () => {
      const down = new InMemorySpeakerDirectory(known);
      down.setReachable(false);
      return cached(down);
    },
  };
});
