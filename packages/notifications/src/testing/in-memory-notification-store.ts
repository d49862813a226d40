import type { AuditRecord, AuditEntry } from '../domain/audit.js';
import type { EmailKey } from '../domain/email.js';
import type { AuditLog, AuditQuery } from '../ports/audit-log.js';
import type { ClaimOutcome, SentEmails, SentEmailStatus } from '../ports/sent-emails.js';

interface SentEmailRow {
  status: SentEmailStatus;
  claimedAt: Date | null;
  sentAt: Date | null;
  attempts: number;
}

export interface NotificationState {
  audit: AuditRecord[];
  sentEmails: Map<string, SentEmailRow>;
}

export const emptyNotificationState = (): NotificationState => ({ audit: [], sentEmails: new Map() });

const keyOf = (key: EmailKey): string => `${key.messageId}\n${key.recipient}`;

export class InMemoryAuditLog implements AuditLog {
  constructor(private readonly state: () => NotificationState) {}

  async append(...entries: AuditEntry[]): Promise<boolean[]> {
    const log = this.state().audit;
    return entries.map((entry) => {
      if (log.some((record) => record.messageId === entry.messageId)) return false;
      const position = (log[log.length - 1]?.position ?? 0) + 1;
      log.push(structuredClone({ ...entry, position }));
      return true;
    });
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    return this.state().audit
      .filter((r) => query.type === undefined || r.type === query.type)
      .filter((r) => query.correlationId === undefined || r.correlationId === query.correlationId)
      .filter((r) => query.from === undefined || (r.occurredAt !== null && r.occurredAt.getTime() >= query.from.getTime()))
      .filter((r) => query.to === undefined || (r.occurredAt !== null && r.occurredAt.getTime() < query.to.getTime()))
      .filter((r) => query.before === undefined || query.before === null || r.position < query.before)
      .sort((a, b) => b.position - a.position)
      .slice(0, Math.max(0, query.limit))
      .map((r) => structuredClone(r));
  }
}

export class InMemorySentEmails implements SentEmails {
  constructor(private readonly state: () => NotificationState) {}

  async claim(key: EmailKey, now: Date, leaseMs: number): Promise<ClaimOutcome> {
    const rows = this.state().sentEmails;
    const row = rows.get(keyOf(key));
    if (!row) {
      rows.set(keyOf(key), { status: 'pending', claimedAt: now, sentAt: null, attempts: 1 });
      return 'claimed';
    }
    if (row.status === 'sent') return 'sent';
    if (row.claimedAt !== null && now.getTime() - row.claimedAt.getTime() < leaseMs) return 'in_progress';
    row.claimedAt = now;
    row.attempts += 1;
    return 'claimed';
  }

  async markSent(key: EmailKey, now: Date): Promise<void> {
    const row = this.state().sentEmails.get(keyOf(key));
    if (row) Object.assign(row, { status: 'sent', sentAt: now, claimedAt: null });
    else this.state().sentEmails.set(keyOf(key), { status: 'sent', sentAt: now, claimedAt: null, attempts: 1 });
  }

  async release(key: EmailKey): Promise<void> {
    const row = this.state().sentEmails.get(keyOf(key));
    if (row && row.status === 'pending') row.claimedAt = null;
  }

  async status(key: EmailKey): Promise<SentEmailStatus | null> {
    return this.state().sentEmails.get(keyOf(key))?.status ?? null;
  }
}

/**
 * The notifier's store in memory: the audit log and the sent emails over one state, each call
 * atomic and committed on its own as the ports promise (every method reads and writes the state
 * before its first await, so no other call can interleave).
 */
export class InMemoryNotificationStore {
  readonly state: NotificationState = emptyNotificationState();
  readonly audit: AuditLog = new InMemoryAuditLog(() => this.state);
  readonly sentEmails: SentEmails = new InMemorySentEmails(() => this.state);
}
