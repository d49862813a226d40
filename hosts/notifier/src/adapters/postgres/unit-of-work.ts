import type { DatabasePool } from 'slonik';
import type { UnitOfWork } from '@conference/kernel';
import { PostgresInbox, PostgresUnitOfWork } from '@conference/adapters-postgres';
import type { NotificationScope } from '@conference/notifications';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { PostgresSentEmails } from './postgres-sent-emails.js';

/** One unit of work = one PostgreSQL transaction: audit log, sent emails and inbox share its connection. */
export function createPostgresNotificationUnitOfWork(pool: DatabasePool): UnitOfWork<NotificationScope> {
  return new PostgresUnitOfWork(pool, (connection) => ({
    audit: new PostgresAuditLog(connection),
    sentEmails: new PostgresSentEmails(connection),
    inbox: new PostgresInbox(connection),
  }));
}
