export { startNotifier, createMailer, type Notifier, type NotifierConfig, type MailConfig } from './notifier.js';
export { createNotifierMessaging, type NotifierMessagingOptions } from './messaging/notifier-messaging.js';
export { PostgresAuditLog } from './adapters/postgres/postgres-audit-log.js';
export { PostgresSentEmails } from './adapters/postgres/postgres-sent-emails.js';
export { createPostgresNotificationUnitOfWork } from './adapters/postgres/unit-of-work.js';
export { notifierMigrationSets } from './adapters/postgres/migrations.js';
export { SmtpMailer, type SmtpMailerOptions } from './adapters/mail/smtp-mailer.js';
export { FileMailbox, type MailboxFile } from './adapters/mail/file-mailbox.js';
