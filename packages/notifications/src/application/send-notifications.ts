import { err, ok, type Clock, type DomainError, type Result } from '@conference/kernel';
import type { KnownMessage } from '@conference/messages';
import { emailKeyOf } from '../domain/email.js';
import { NotificationErrors } from '../domain/errors.js';
import { notificationsFor } from '../domain/notification-rules.js';
import type { Mailer } from '../ports/mailer.js';
import type { SentEmails } from '../ports/sent-emails.js';

export interface SendNotificationsOptions {
  /**
   * How long a claim keeps other deliveries off an email (default 2 min). Longer than any one send
   * may take (the SMTP adapter's timeouts are well under it), so a claim is only ever taken over
   * from a sender that is gone.
   */
  readonly leaseMs?: number;
}

export interface SendNotificationsOutput {
  /** Recipients emailed now. */
  readonly sent: readonly string[];
  /** Recipients emailed before (a redelivery): not emailed again. */
  readonly alreadySent: readonly string[];
}

export const DEFAULT_LEASE_MS = 120_000;

/**
 * Sends the emails a message calls for (see notificationsFor), each at most once per message and
 * recipient: the rule for "never the same email twice".
 *
 * The order, per recipient: (1) claim the email (a `pending` row), committed on its own, (2) send,
 * with nothing held open, (3) mark it `sent`, committed on its own. Each SentEmails call is one
 * atomic write (see the port), so none of them needs a unit of work around it.
 *
 * Why this order and not the reverse (record "sent" first, then send): an SMTP server is not part
 * of our transaction, so no order makes send-and-record atomic; the choice is which way a crash
 * between the two fails. Recording first fails silent: a crash after the commit and before the
 * send loses the email for good (the record says it went). Sending first fails loud and small: a
 * crash after the server accepted the email and before the mark commits leaves a `pending` claim;
 * when the message comes back (it was not acked) the claim has expired and the email is sent once
 * more — at most one extra copy, only for a crash in a window of milliseconds, and that copy
 * carries the same Message-ID (emailIdOf), which mail servers and clients use to drop duplicates.
 * A lost enrollment confirmation is worse than a rare duplicate, so: at least once, practically once.
 *
 * The claim is what keeps two live deliveries of one message (two notifier instances, a broker
 * redelivery while the first is still sending) from both sending: the second finds a fresh
 * `pending` claim and is told to retry later (NOTIFICATION.SEND_IN_PROGRESS, retried by the
 * consumer), when it finds `sent` — or an expired claim, if the first sender died.
 * A send that fails gives its claim back and throws, so the retry can send at once.
 */
export class SendNotifications {
  private readonly leaseMs: number;

  constructor(
    private readonly sentEmails: SentEmails,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    options: SendNotificationsOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  async execute(message: KnownMessage): Promise<Result<SendNotificationsOutput, DomainError>> {
    const sent: string[] = [];
    const alreadySent: string[] = [];
    let busy = 0;
    // One recipient after another: a failure stops here, and what went out before it stays marked.
    for (const email of notificationsFor(message)) {
      const key = emailKeyOf(message.id, email.to);
      const claim = await this.sentEmails.claim(key, this.clock.now(), this.leaseMs);
      if (claim === 'sent') {
        alreadySent.push(key.recipient);
        continue;
      }
      if (claim === 'in_progress') {
        busy += 1;
        continue;
      }
      try {
        await this.mailer.send({ ...email, messageId: message.id });
      } catch (error) {
        await this.sentEmails.release(key).catch(() => undefined);
        throw error;
      }
      await this.sentEmails.markSent(key, this.clock.now());
      sent.push(key.recipient);
    }
    if (busy > 0) return err(NotificationErrors.sendInProgress(busy));
    return ok({ sent, alreadySent });
  }
}
