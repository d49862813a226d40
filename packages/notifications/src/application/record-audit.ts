import { ok, type Clock, type DomainError, type MessageEnvelope, type Result } from '@conference/kernel';
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
    const appended = await this.audit.append(auditEntryOf(message, this.clock.now()));
    return ok({ duplicate: !appended });
  }
}
