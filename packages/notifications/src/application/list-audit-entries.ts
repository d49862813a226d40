import { DomainError, clampLimit, decodeCursor, encodeCursor, err, isAdmin, ok, type Actor, type Page, type Result } from '@conference/kernel';
import type { AuditRecord } from '../domain/audit.js';
import { NotificationErrors } from '../domain/errors.js';
import type { AuditLog } from '../ports/audit-log.js';

export interface ListAuditEntriesInput {
  readonly actor: Actor;
  readonly type?: string;
  /** occurredAt ≥ from */
  readonly from?: Date;
  /** occurredAt < to */
  readonly to?: Date;
  readonly correlationId?: string;
  readonly limit?: number;
  readonly cursor?: string | null;
}

/** An audit entry as the API shows it. */
export interface AuditEntryView {
  readonly position: number;
  readonly messageId: string;
  readonly type: string;
  readonly source: string;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly occurredAt: string | null;
  readonly receivedAt: string;
  readonly data: unknown;
}

export const toAuditEntryView = (record: AuditRecord): AuditEntryView => ({
  position: record.position,
  messageId: record.messageId,
  type: record.type,
  source: record.source,
  correlationId: record.correlationId,
  causationId: record.causationId,
  occurredAt: record.occurredAt?.toISOString() ?? null,
  receivedAt: record.receivedAt.toISOString(),
  data: record.data,
});

/**
 * `GET /api/audit` (admins only): the audit log, newest first, filtered by type, time of the
 * message and correlation id (one request's whole chain), in keyset pages (the cursor is the
 * position of the last entry shown, so entries appended meanwhile never shift a page).
 * Errors: AUDIT.FORBIDDEN, AUDIT.INVALID_RANGE, PAGINATION.INVALID_CURSOR.
 */
export class ListAuditEntries {
  constructor(private readonly audit: AuditLog) {}

  async execute(input: ListAuditEntriesInput): Promise<Result<Page<AuditEntryView>, DomainError>> {
    if (!isAdmin(input.actor)) return err(NotificationErrors.auditForbidden());
    if (input.from && input.to && input.to.getTime() < input.from.getTime()) return err(NotificationErrors.invalidRange());
    let before: number | null = null;
    if (input.cursor) {
      const key = decodeCursor(input.cursor, 1);
      if (!key.ok) return key;
      const [position] = key.value;
      // A well-formed cursor of another list (a string key) is just as foreign as a broken one.
      if (typeof position !== 'number' || !Number.isSafeInteger(position)) {
        return err(DomainError.validation('PAGINATION.INVALID_CURSOR', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]));
      }
      before = position;
    }
    const limit = clampLimit(input.limit);
    const records = await this.audit.list({
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.from !== undefined ? { from: input.from } : {}),
      ...(input.to !== undefined ? { to: input.to } : {}),
      ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
      before,
      limit: limit + 1,
    });
    const items = records.slice(0, limit);
    const last = items[items.length - 1];
    return ok({ items: items.map(toAuditEntryView), nextCursor: records.length > limit && last ? encodeCursor([last.position]) : null });
  }
}
