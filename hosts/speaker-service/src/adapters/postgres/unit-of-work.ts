import type { DatabasePool } from 'slonik';
import type { Inbox, UnitOfWork } from '@conference/kernel';
import { PostgresInbox, PostgresOutbox, PostgresUnitOfWork } from '@conference/adapters-postgres';
import type { SpeakerScope } from '@conference/speaker';
import { PostgresSpeakerRepository } from './postgres-speaker-repository.js';

/**
 * The speaker scope plus the inbox. The speaker service consumes no messages today (DESIGN §1), but
 * its database has the shared inbox table, and a consumer added later records message ids in the
 * same transaction as its writes. No advisory locks: the one rule that needs serialising (one
 * profile per user) is kept by a unique index.
 */
export type PostgresSpeakerScope = SpeakerScope & { readonly inbox: Inbox };

/** One unit of work = one PostgreSQL transaction; speakers, outbox and inbox share its connection. */
export function createPostgresSpeakerUnitOfWork(pool: DatabasePool): UnitOfWork<PostgresSpeakerScope> {
  return new PostgresUnitOfWork(pool, (connection) => ({
    speakers: new PostgresSpeakerRepository(connection),
    outbox: new PostgresOutbox(connection),
    inbox: new PostgresInbox(connection),
  }));
}
