import { createHash } from 'node:crypto';

/** One plain-text email to one person. */
export interface Email {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** An email as the Mailer gets it: with the id of the message that caused it. */
export interface MailMessage extends Email {
  /** The id of the message the email is about; with `to` it names the email (see emailIdOf). */
  readonly messageId: string;
}

/** Which email of which message: the unit the notifier never sends twice. */
export interface EmailKey {
  readonly messageId: string;
  /** Normalised (see normaliseRecipient). */
  readonly recipient: string;
}

/** Addresses compare case-insensitively (as the user service treats them): one person, one email. */
export const normaliseRecipient = (address: string): string => address.trim().toLowerCase();

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** An address a mail server can be given as it is; anything else would be refused or, worse, parsed as several. */
export const isDeliverableAddress = (address: string): boolean => address.length <= 254 && ADDRESS.test(address.trim());

/**
 * A stable name for the email of one message to one recipient (32 hex characters). Adapters derive
 * the Message-ID header from it, and the file mailbox its file name, so a resend after a crash is
 * recognisably the same email (mail clients and servers drop a second copy with the same
 * Message-ID; the file mailbox overwrites it).
 */
export function emailIdOf(messageId: string, recipient: string): string {
  return createHash('sha256').update(`${messageId}\n${normaliseRecipient(recipient)}`, 'utf8').digest('hex').slice(0, 32);
}

export const emailKeyOf = (messageId: string, recipient: string): EmailKey => ({ messageId, recipient: normaliseRecipient(recipient) });
