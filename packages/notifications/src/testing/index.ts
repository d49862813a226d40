export { InMemoryMailer } from './in-memory-mailer.js';
export {
  InMemoryNotificationStore,
  InMemoryAuditLog,
  InMemorySentEmails,
  emptyNotificationState,
  type NotificationState,
} from './in-memory-notification-store.js';
export { aMessage, anOutcome } from './messages.js';
