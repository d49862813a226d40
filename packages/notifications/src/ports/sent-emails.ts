import type { EmailKey } from '../domain/email.js';

/**
 * - `claimed`: this caller may send the email now (it was never sent, or an earlier claim on it
 *   expired: that sender died or gave up between claiming and marking);
 * - `sent`: it went out before; do nothing;
 * - `in_progress`: someone else claimed it a moment ago and may be sending it right now.
 */
export type ClaimOutcome = 'claimed' | 'sent' | 'in_progress';

export type SentEmailStatus = 'pending' | 'sent';

/**
 * Port: which email of which message went out (the "never twice" record). Each call is atomic and
 * commits on its own, with no unit of work around it: the send happens between the calls and must
 * not hold a transaction open, and the claim has to be seen by every other sender at once. Of
 * simultaneous claims of one email exactly one gets it. See SendNotifications for the order of
 * claim, send and mark.
 */
export interface SentEmails {
  /** Claims the email for `leaseMs`: a claim older than that is taken over. */
  claim(key: EmailKey, now: Date, leaseMs: number): Promise<ClaimOutcome>;
  /** The email was accepted by the mail system. */
  markSent(key: EmailKey, now: Date): Promise<void>;
  /** Gives a claim back after a failed send, so the retry need not wait for the lease to expire. */
  release(key: EmailKey): Promise<void>;
  status(key: EmailKey): Promise<SentEmailStatus | null>;
}
