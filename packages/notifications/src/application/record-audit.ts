import { ok, type Clock, type DomainError, type MessageEnvelope, type Ok, type Result } from '@conference/kernel';
import { auditEntryOf } from '../domain/audit.js';
import type { AuditLog } from '../ports/audit-log.js';

export interface RecordAuditOutput {
  /** True when the message was already in the log: nothing was written. */
  readonly duplicate: boolean;
}

/**
 * Appends every message to the audit log, once. The log itself refuses a second entry for a
 * message id, atomically, so a redelivery (or a replay from the dead letters) leaves the first
 * entry as it was. That is all an inbox record would add here, so there is none: one append is the
 * whole write, with no unit of work around it.
 */
export class RecordAudit {
  constructor(
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async execute(message: MessageEnvelope): Promise<Result<RecordAuditOutput, DomainError>> {
    const [recorded] = (await this.executeAll([message])).value;
    return ok(recorded!);
  }

  /** A burst of messages in one append; the outputs are in the messages' order. */
  async executeAll(messages: readonly MessageEnvelope[]): Promise<Ok<RecordAuditOutput[]>> {
    const receivedAt = this.clock.now();
    const appended = await this.audit.append(...messages.map((message) => auditEntryOf(message, receivedAt)));
    return ok(appended.map((fresh) => ({ duplicate: !fresh })));
  }
}
