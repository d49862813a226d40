import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import { rowSchema, timestamptz, whileDatabaseAvailable } from '@conference/adapters-postgres';
import type { ClaimOutcome, EmailKey, SentEmails, SentEmailStatus } from '@conference/notifications';

const Status = t.keyof({ pending: null, sent: null });
const StatusRow = rowSchema(t.type({ status: Status }));

/**
 * The record of sent emails in `sent_emails`, one statement per call (two for a claim that finds
 * the email taken), on the pool: each commits on its own, as the port asks. A database that cannot
 * serve becomes DATABASE.UNAVAILABLE, as in a unit of work, so the consumer retries the message.
 */
export class PostgresSentEmails implements SentEmails {
  constructor(private readonly connection: CommonQueryMethods) {}

  /**
   * One statement decides: a new row is claimed; an existing `pending` row whose lease ran out (or
   * that was given back) is taken over by the conditional DO UPDATE; anything else is left alone
   * and reported. A concurrent claim of the same key waits on the row lock the first one took and
   * then re-checks the condition against the committed row, so two claims never both win.
   */
  async claim(key: EmailKey, now: Date, leaseMs: number): Promise<ClaimOutcome> {
    const claimed = await whileDatabaseAvailable(() => this.connection.maybeOne(sql.unsafe`
      INSERT INTO sent_emails (message_id, recipient, status, claimed_at)
      VALUES (${key.messageId}, ${key.recipient}, 'pending', ${timestamptz(now)})
      ON CONFLICT (message_id, recipient) DO UPDATE
        SET claimed_at = EXCLUDED.claimed_at, attempts = sent_emails.attempts + 1
        WHERE sent_emails.status = 'pending'
          AND (sent_emails.claimed_at IS NULL OR sent_emails.claimed_at <= ${timestamptz(now)} - make_interval(secs => ${leaseMs / 1000}))
      RETURNING 1`));
    if (claimed !== null) return 'claimed';
    return (await this.status(key)) === 'sent' ? 'sent' : 'in_progress';
  }

  async markSent(key: EmailKey, now: Date): Promise<void> {
    await whileDatabaseAvailable(() => this.connection.query(sql.unsafe`
      INSERT INTO sent_emails (message_id, recipient, status, claimed_at, sent_at)
      VALUES (${key.messageId}, ${key.recipient}, 'sent', NULL, ${timestamptz(now)})
      ON CONFLICT (message_id, recipient) DO UPDATE
        SET status = 'sent', claimed_at = NULL, sent_at = EXCLUDED.sent_at
        WHERE sent_emails.status = 'pending'`));
  }

  async release(key: EmailKey): Promise<void> {
    await whileDatabaseAvailable(() => this.connection.query(sql.unsafe`
      UPDATE sent_emails SET claimed_at = NULL
      WHERE message_id = ${key.messageId} AND recipient = ${key.recipient} AND status = 'pending'`));
  }

  async status(key: EmailKey): Promise<SentEmailStatus | null> {
    const row = await whileDatabaseAvailable(() => this.connection.maybeOne(sql.type(StatusRow)`
      SELECT status FROM sent_emails WHERE message_id = ${key.messageId} AND recipient = ${key.recipient}`));
    return row?.status ?? null;
  }
}
