import { ok, type Clock, type DomainError, type MessageEnvelope, type Result, type UnitOfWork } from '@conference/kernel';
import { auditEntryOf } from '../domain/audit.js';
import type { NotificationScope } from '../ports/notification-scope.js';
import { AUDIT_CONSUMER } from './consumers.js';

export interface RecordAuditOutput {
  /** True when the message was already in the log: nothing was written. */
  readonly duplicate: boolean;
}

/**
 * Appends every message to the audit log, once: the inbox record and the entry commit together,
 * and the log itself refuses a second entry for a message id, so a redelivery (or a replay from
 * the dead letters) leaves the first entry as it was.
 */
export class RecordAudit {
  constructor(
    private readonly uow: UnitOfWork<NotificationScope>,
    private readonly clock: Clock,
  ) {}

  async execute(message: MessageEnvelope): Promise<Result<RecordAuditOutput, DomainError>> {
    const receivedAt = this.clock.now();
    return this.uow.run(async ({ inbox, audit }) => {
      if (!(await inbox.record(AUDIT_CONSUMER, message.id))) return ok({ duplicate: true });
      const appended = await audit.append(auditEntryOf(message, receivedAt));
      return ok({ duplicate: !appended });
    });
  }
}
