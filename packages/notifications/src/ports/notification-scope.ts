import type { Inbox } from '@conference/kernel';
import type { AuditLog } from './audit-log.js';
import type { SentEmails } from './sent-emails.js';

/** What one unit of work of the notifier writes through (`UnitOfWork<NotificationScope>`). */
export interface NotificationScope {
  readonly audit: AuditLog;
  readonly sentEmails: SentEmails;
  readonly inbox: Inbox;
}
