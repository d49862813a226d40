import type { CommonQueryMethods } from 'slonik';
import { BatchedLookup } from '@conference/kernel';
import type { Session, SessionQueries } from '@conference/session';
import { whileDatabaseAvailable } from '@conference/adapters-postgres';
import { PostgresSessionRepository } from './postgres-session-repository.js';

/**
 * SessionQueries straight on the pool, no transaction: findById and findByIds are one SELECT each
 * (the session row with its speakers as an ARRAY subquery), so each already reads one committed
 * snapshot. It reuses the repository's queries so the two cannot drift; only reads are exposed.
 *
 * findById is group-committed (kernel BatchedLookup): the finds of one turn of the event loop, and
 * those made while a read is running, are one findByIds. GET /api/sessions/:id and gRPC
 * GetSession are the hottest reads, and their cost was the round trip, not the row.
 */
export class PostgresSessionQueries implements SessionQueries {
  private readonly repository: PostgresSessionRepository;
  private readonly sessions: BatchedLookup<string, Session>;

  constructor(pool: CommonQueryMethods) {
    this.repository = new PostgresSessionRepository(pool);
    this.sessions = new BatchedLookup(async (ids) => {
      const found = await whileDatabaseAvailable(() => this.repository.findByIds(ids));
      return new Map(found.map((session) => [session.id, session]));
      // Two reads in flight: a batch can start while the one before it is still in the database.
    }, { concurrency: 2 });
  }

  findById(id: string): Promise<Session | null> {
    return this.sessions.find(id.toLowerCase());
  }

  findByIds(ids: readonly string[]): Promise<Session[]> {
    return whileDatabaseAvailable(() => this.repository.findByIds(ids));
  }
}
