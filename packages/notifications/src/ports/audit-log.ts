import type { AuditEntry, AuditRecord } from '../domain/audit.js';

/** Filters of the audit log, all optional; `from`/`to` bound `occurredAt` as [from, to). */
export interface AuditQuery {
  readonly type?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly correlationId?: string;
  /** Newest first: only entries with a position below this one (the keyset cursor); none for the first page. */
  readonly before?: number | null;
  readonly limit: number;
}

/**
 * Port: the append-only record of every message the platform carried. `append` is atomic, commits
 * on its own and is idempotent on the message id: a redelivered message adds nothing and the first
 * record stays as it was (returns false), and of simultaneous appends of one id exactly one returns
 * true. That is what lets RecordAudit do without an inbox. Nothing is ever changed or removed.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<boolean>;
  /** Up to `limit` entries matching the filters, newest (highest position) first. */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}
