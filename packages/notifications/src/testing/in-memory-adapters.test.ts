import { emailIdOf } from '../domain/email.js';
import { auditLogContract } from './audit-log-contract.js';
import { InMemoryMailer } from './in-memory-mailer.js';
import { InMemoryNotificationStore } from './in-memory-notification-store.js';
import { mailerContract } from './mailer-contract.js';
import { sentEmailsContract } from './sent-emails-contract.js';

auditLogContract('in-memory', async () => ({ audit: new InMemoryNotificationStore().audit }));
sentEmailsContract('in-memory', async () => ({ sentEmails: new InMemoryNotificationStore().sentEmails }));
mailerContract('in-memory', async () => {
  const mailer = new InMemoryMailer();
  return {
    mailer,
    // The in-memory mailer keeps every send; a mailbox holds one copy per email id.
    delivered: async () => [...new Map(mailer.sent.map((m) => [emailIdOf(m.messageId, m.to), { to: m.to, subject: m.subject, text: m.text, emailId: emailIdOf(m.messageId, m.to) }])).values()],
  };
});
