import type { MailMessage } from '../domain/email.js';
import type { Mailer } from '../ports/mailer.js';

/**
 * A Mailer that keeps every email it was asked to send, duplicates included (so a test can see
 * that one was not sent twice). `failNext(n)` makes the next n sends throw, as an SMTP server
 * that is down would.
 */
export class InMemoryMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  private failures = 0;

  async send(mail: MailMessage): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('mail server unavailable (simulated)');
    }
    this.sent.push({ ...mail });
  }

  failNext(times = 1): void {
    this.failures = times;
  }

  to(address: string): MailMessage[] {
    return this.sent.filter((mail) => mail.to.toLowerCase() === address.toLowerCase());
  }
}
