import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import { MicroBatcher, type ItemOutcome } from '@conference/kernel';
import { rowSchema, whileDatabaseAvailable } from '@conference/adapters-postgres';
import type { ClaimOutcome, EmailKey, SentEmails, SentEmailStatus } from '@conference/notifications';

const Status = t.keyof({ pending: null, sent: null });
const StatusRow = rowSchema(t.type({ status: Status }));
const ClaimRow = rowSchema(t.type({ message_id: t.string, recipient: t.string, claimed: t.boolean, status: t.union([Status, t.null]) }));

interface ClaimRequest {
  readonly key: EmailKey;
  readonly now: Date;
  readonly leaseMs: number;
}

interface MarkRequest {
  readonly key: EmailKey;
  readonly now: Date;
}

export interface PostgresSentEmailsOptions {
  /** How long a claim or a mark waits for others to share its statement (default 0: until the end of its turn). */
  readonly lingerMs?: number;
}

const keyText = (key: EmailKey): string => `${key.messageId}\u0000${key.recipient}`;

/**
 * The record of sent emails in `sent_emails`, on the pool: each call commits on its own, as the
 * port asks. A database that cannot serve becomes DATABASE.UNAVAILABLE, as in a unit of work, so
 * the consumer retries the message.
 *
 * Claims and marks are group-committed: the calls made in one turn of the event loop (the email
 * consumer's deliveries in flight), and those made while a statement is running, go to PostgreSQL
 * as one statement, and each caller gets its own email's outcome. One statement per claim and per
 * mark was nine in ten of the notifier's transactions (bench/RESULTS.md). Under light load a
 * batch is one email, sent at the end of the turn, or after `lingerMs` if the composition allows
 * emails to wait a little for company (the notifier does: NOTIFIER_LINGER_MS). Each email's
 * mark still follows its own send at once, so a crash leaves at most the emails whose sends had
 * finished in that turn to be sent again (with the same Message-ID).
 */
export class PostgresSentEmails implements SentEmails {
  private readonly claims: MicroBatcher<ClaimRequest, ClaimOutcome>;
  private readonly marks: MicroBatcher<MarkRequest, void>;

  constructor(private readonly connection: CommonQueryMethods, options: PostgresSentEmailsOptions = {}) {
    const batching = { lingerMs: options.lingerMs ?? 0 };
    this.claims = new MicroBatcher((requests) => this.claimAll(requests), batching);
    this.marks = new MicroBatcher((requests) => this.markAllSent(requests), batching);
  }

  claim(key: EmailKey, now: Date, leaseMs: number): Promise<ClaimOutcome> {
    return this.claims.submit({ key, now, leaseMs });
  }

  markSent(key: EmailKey, now: Date): Promise<void> {
    return this.marks.submit({ key, now });
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

  /**
   * One statement per lease length (in practice one): a new row is claimed; an existing `pending`
   * row whose lease ran out (or that was given back) is taken over by the conditional DO UPDATE;
   * anything else is reported as it stood. A concurrent claim of the same key elsewhere waits on
   * the row lock the first one took and then re-checks the condition against the committed row, so
   * two claims never both win; one committed after this statement began is not in its snapshot and
   * reads as in progress, which it is. The same email twice in one batch: the first asks, the
   * others are in progress (the first holds it), as if they had come a moment later.
   */
  private async claimAll(requests: readonly ClaimRequest[]): Promise<ItemOutcome<ClaimOutcome>[]> {
    const outcomes = new Map<string, ClaimOutcome>();
    for (const leaseMs of new Set(requests.map((r) => r.leaseMs))) {
      const asked = distinct(requests.filter((r) => r.leaseMs === leaseMs));
      const rows = await whileDatabaseAvailable(() => this.connection.any(sql.type(ClaimRow)`
        WITH requested AS (
          SELECT * FROM unnest(
            ${sql.array(asked.map((r) => r.key.messageId), 'text')},
            ${sql.array(asked.map((r) => r.key.recipient), 'text')},
            ${sql.array(asked.map((r) => r.now.toISOString()), 'timestamptz')}
          ) AS r(message_id, recipient, now)
        ), claimed AS (
          INSERT INTO sent_emails (message_id, recipient, status, claimed_at)
          SELECT message_id, recipient, 'pending', now FROM requested
          ON CONFLICT (message_id, recipient) DO UPDATE
            SET claimed_at = EXCLUDED.claimed_at, attempts = sent_emails.attempts + 1
            WHERE sent_emails.status = 'pending'
              AND (sent_emails.claimed_at IS NULL OR sent_emails.claimed_at <= EXCLUDED.claimed_at - make_interval(secs => ${leaseMs / 1000}))
          RETURNING message_id, recipient
        )
        SELECT r.message_id, r.recipient, c.message_id IS NOT NULL AS claimed, s.status
        FROM requested r
        LEFT JOIN claimed c ON c.message_id = r.message_id AND c.recipient = r.recipient
        LEFT JOIN sent_emails s ON s.message_id = r.message_id AND s.recipient = r.recipient`));
      for (const row of rows) {
        outcomes.set(keyText({ messageId: row.message_id, recipient: row.recipient }), row.claimed ? 'claimed' : row.status === 'sent' ? 'sent' : 'in_progress');
      }
    }
    const answered = new Set<string>();
    return requests.map((request) => {
      const text = keyText(request.key);
      const outcome = outcomes.get(text);
      if (outcome === undefined) return { ok: false, error: new Error(`no claim outcome for email ${text}`) };
      if (answered.has(text)) return { ok: true, value: outcome === 'sent' ? 'sent' : 'in_progress' };
      answered.add(text);
      return { ok: true, value: outcome };
    });
  }

  /** Marks sent only what is pending (or not recorded at all); a second mark of one email changes nothing. */
  private async markAllSent(requests: readonly MarkRequest[]): Promise<ItemOutcome<void>[]> {
    const marked = distinct(requests);
    await whileDatabaseAvailable(() => this.connection.query(sql.unsafe`
      INSERT INTO sent_emails (message_id, recipient, status, claimed_at, sent_at)
      SELECT message_id, recipient, 'sent', NULL, sent_at FROM unnest(
        ${sql.array(marked.map((r) => r.key.messageId), 'text')},
        ${sql.array(marked.map((r) => r.key.recipient), 'text')},
        ${sql.array(marked.map((r) => r.now.toISOString()), 'timestamptz')}
      ) AS m(message_id, recipient, sent_at)
      ON CONFLICT (message_id, recipient) DO UPDATE
        SET status = 'sent', claimed_at = NULL, sent_at = EXCLUDED.sent_at
        WHERE sent_emails.status = 'pending'`));
    return requests.map(() => ({ ok: true, value: undefined }));
  }
}

/** The first request for each email: one INSERT ... ON CONFLICT DO UPDATE may touch a row only once. */
function distinct<R extends { readonly key: EmailKey }>(requests: readonly R[]): R[] {
  const seen = new Set<string>();
  return requests.filter((request) => {
    const text = keyText(request.key);
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}
