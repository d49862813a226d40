import type { MailMessage } from '../domain/email.js';

/**
 * Port: hands one email to a mail system. Resolves when the mail system has accepted it (an SMTP
 * server answered 250, the file is written); throws otherwise. Adapters name the email with
 * `emailIdOf(messageId, to)` (the Message-ID header, a file name), so sending the same email again
 * after a crash is recognisable as the same email.
 */
export interface Mailer {
  send(mail: MailMessage): Promise<void>;
}
