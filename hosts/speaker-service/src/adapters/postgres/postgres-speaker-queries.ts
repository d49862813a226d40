import type { CommonQueryMethods } from 'slonik';
import type { Speaker, SpeakerQueries } from '@conference/speaker';
import { whileDatabaseAvailable } from '@conference/adapters-postgres';
import { PostgresSpeakerRepository } from './postgres-speaker-repository.js';

/**
 * SpeakerQueries straight on the pool, no transaction: findById and findByIds are one SELECT each,
 * so each already reads one committed snapshot. It reuses the repository's queries so the two
 * cannot drift; only reads are exposed. A database that cannot serve is a 503, as in a unit of work.
 */
export class PostgresSpeakerQueries implements SpeakerQueries {
  private readonly repository: PostgresSpeakerRepository;

  constructor(pool: CommonQueryMethods) {
    this.repository = new PostgresSpeakerRepository(pool);
  }

  findById(id: string): Promise<Speaker | null> {
    return whileDatabaseAvailable(() => this.repository.findById(id));
  }

  findByIds(ids: readonly string[]): Promise<Speaker[]> {
    return whileDatabaseAvailable(() => this.repository.findByIds(ids));
  }
}
