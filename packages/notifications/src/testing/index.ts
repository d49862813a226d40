export { InMemoryMailer } from './in-memory-mailer.js';
export {
  InMemoryNotificationStore,
  InMemoryAuditLog,
  InMemorySentEmails,
  emptyNotificationState,
  type NotificationState,
} from './in-memory-notification-store.js';
export { auditLogContract, type AuditLogFixture } from './audit-log-contract.js';
export { sentEmailsContract, type SentEmailsFixture } from './sent-emails-contract.js';
export { mailerContract, type MailerFixture, type DeliveredEmail } from './mailer-contract.js';
export { aMessage, anOutcome } from './messages.js';
