import type { MessageType } from '@conference/messages';
import { NOTIFYING_TYPES } from '../domain/notification-rules.js';

/** The notifier's queues (DESIGN §4 `<service>.<purpose>`). */
export const AUDIT_CONSUMER = 'notifier.audit';
export const EMAIL_CONSUMER = 'notifier.email';

/** The audit log wants every message (`#`); the email queue only the types that send email. */
export const NOTIFIER_SUBSCRIPTIONS = {
  [AUDIT_CONSUMER]: ['#'],
  [EMAIL_CONSUMER]: ['enrollment.*', 'event.cancelled', 'user.registered'],
} as const;

export const EMAIL_TYPES: readonly MessageType[] = NOTIFYING_TYPES;
