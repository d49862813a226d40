// Domain
export { type Email, type MailMessage, type EmailKey, emailIdOf, emailKeyOf, normaliseRecipient, isDeliverableAddress } from './domain/email.js';
export { notificationsFor, formatWhen, NOTIFYING_TYPES, PLATFORM_NAME } from './domain/notification-rules.js';
export { rejectionSentence, KNOWN_REJECTION_REASONS } from './domain/rejection-reasons.js';
export { type AuditEntry, type AuditRecord, auditEntryOf } from './domain/audit.js';
export { NotificationErrors } from './domain/errors.js';

// Ports
export type { Mailer } from './ports/mailer.js';
export type { AuditLog, AuditQuery } from './ports/audit-log.js';
export type { SentEmails, ClaimOutcome, SentEmailStatus } from './ports/sent-emails.js';

// Application
export { AUDIT_CONSUMER, EMAIL_CONSUMER, NOTIFIER_SUBSCRIPTIONS, EMAIL_TYPES } from './application/consumers.js';
export { RecordAudit, type RecordAuditOutput } from './application/record-audit.js';
export {
  SendNotifications,
  type SendNotificationsOptions,
  type SendNotificationsOutput,
  DEFAULT_LEASE_MS,
} from './application/send-notifications.js';
export { ListAuditEntries, type ListAuditEntriesInput, type AuditEntryView, toAuditEntryView } from './application/list-audit-entries.js';
