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
 * record stays as it was (false for it), and of simultaneous appends of one id exactly one gets
 * true. That is what lets RecordAudit do without an inbox. Nothing is ever changed or removed.
 *
 * `append` takes any number of entries (a consumer's burst of deliveries is one write): they are
 * appended in the order given, all or none, and it answers for each, in order, whether it was
 * appended now (false for an id already in the log, or given earlier in the same call).
 */
export interface AuditLog {
  append(...entries: AuditEntry[]): Promise<boolean[]>;
  /** Up to `limit` entries matching the filters, newest (highest position) first. */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}
