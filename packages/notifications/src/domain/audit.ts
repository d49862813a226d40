import type { MessageEnvelope } from '@conference/kernel';

/** One message as the audit log keeps it: the envelope as received, and when it arrived. */
export interface AuditEntry {
  readonly messageId: string;
  readonly type: string;
  readonly source: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  /**
   * When the publisher says it happened; null when the envelope's text is not a date (the contract
   * only promises a string, and the audit log records what came, it does not refuse it).
   */
  readonly occurredAt: Date | null;
  readonly data: unknown;
  readonly receivedAt: Date;
}

/** An entry with its place in the log (append order), which is also its page cursor. */
export interface AuditRecord extends AuditEntry {
  readonly position: number;
}

export function auditEntryOf(message: MessageEnvelope, receivedAt: Date): AuditEntry {
  const occurredAt = new Date(message.occurredAt);
  return {
    messageId: message.id,
    type: message.type,
    source: message.source,
    correlationId: message.correlationId,
    causationId: message.causationId,
    occurredAt: Number.isNaN(occurredAt.getTime()) ? null : occurredAt,
    data: message.data,
    receivedAt,
  };
}
