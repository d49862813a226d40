import type { CommonQueryMethods, DatabasePool } from 'slonik';
import type { UnitOfWork } from '@conference/kernel';
import { PostgresInbox, PostgresOutbox, PostgresUnitOfWork } from '@conference/adapters-postgres';
import type { EventScope } from '@conference/event';
import { PostgresEnrollmentRepository } from './postgres-enrollment-repository.js';
import { PostgresEventRepository } from './postgres-event-repository.js';
import { PostgresProgrammeRepository } from './postgres-programme-repository.js';

/**
 * One unit of work = one PostgreSQL transaction (READ COMMITTED, the server's default): events,
 * enrollments, programme, outbox and inbox share its connection, so a state change, the messages
 * announcing it and the inbox record of the message that caused it commit together or not at all.
 *
 * No advisory locks in the scope for seats: capacity is guarded by the event's row lock
 * (EventRepository.findForUpdate), which every seat path already takes. The programme repository
 * takes a per-session advisory lock itself when it reads a watermark.
 */
export function createPostgresEventUnitOfWork(pool: DatabasePool): UnitOfWork<EventScope> {
  return new PostgresUnitOfWork(pool, postgresEventScope);
}

/** The event service's adapters on one transaction's connection (tests wrap the connection, e.g. to count statements). */
export const postgresEventScope = (connection: CommonQueryMethods): EventScope => ({
  events: new PostgresEventRepository(connection),
  enrollments: new PostgresEnrollmentRepository(connection),
  programme: new PostgresProgrammeRepository(connection),
  outbox: new PostgresOutbox(connection),
  inbox: new PostgresInbox(connection),
});
