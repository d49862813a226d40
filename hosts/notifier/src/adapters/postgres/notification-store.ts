import type { CommonQueryMethods } from 'slonik';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { PostgresSentEmails, type PostgresSentEmailsOptions } from './postgres-sent-emails.js';

/**
 * The notifier's ports in PostgreSQL, each call one statement in autocommit. Give them the pool:
 * every call is atomic on its own (the ports promise no more), and a transaction around them would
 * only add BEGIN and COMMIT round trips per message.
 */
export function createPostgresNotificationStore(pool: CommonQueryMethods, options: PostgresSentEmailsOptions = {}): { readonly audit: PostgresAuditLog; readonly sentEmails: PostgresSentEmails } {
  return { audit: new PostgresAuditLog(pool), sentEmails: new PostgresSentEmails(pool, options) };
}
