import type { UnitOfWork } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import type { SessionQueries } from '../ports/session-queries.js';
import type { SessionRepository } from '../ports/session-repository.js';

/**
 * SessionQueries as one unit of work per read: the in-memory adapter (its units of work are cheap
 * and run one at a time, so a read sees only what committed), and what a composition that only
 * has a unit of work (the e2e gRPC servers) can hand the read use cases.
 */
export class UnitOfWorkSessionQueries implements SessionQueries {
  constructor(private readonly uow: UnitOfWork<{ readonly sessions: SessionRepository }>) {}

  findById(id: string): Promise<Session | null> {
    return this.uow.run(({ sessions }) => sessions.findById(id.toLowerCase()));
  }

  findByIds(ids: readonly string[]): Promise<Session[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.uow.run(({ sessions }) => sessions.findByIds(ids.map((id) => id.toLowerCase())));
  }
}
