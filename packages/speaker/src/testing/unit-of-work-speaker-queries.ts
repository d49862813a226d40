import type { UnitOfWork } from '@conference/kernel';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerQueries } from '../ports/speaker-queries.js';
import type { SpeakerRepository } from '../ports/speaker-repository.js';

/**
 * SpeakerQueries as one unit of work per read: the in-memory adapter (its units of work are cheap
 * and run one at a time, so a read sees only what committed), and what a composition that only has
 * a unit of work (the e2e gRPC servers) can hand the read use cases.
 */
export class UnitOfWorkSpeakerQueries implements SpeakerQueries {
  constructor(private readonly uow: UnitOfWork<{ readonly speakers: SpeakerRepository }>) {}

  findById(id: string): Promise<Speaker | null> {
    return this.uow.run(({ speakers }) => speakers.findById(id));
  }

  findByIds(ids: readonly string[]): Promise<Speaker[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.uow.run(({ speakers }) => speakers.findByIds(ids));
  }
}
