import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import { DbDate, dbNullable, rowSchema, timestamptz, whileDatabaseAvailable } from '@conference/adapters-postgres';
import type { AuditEntry, AuditLog, AuditQuery, AuditRecord } from '@conference/notifications';

const AuditRow = rowSchema(t.type({
  position: t.number,
  message_id: t.string,
  type: t.string,
  source: t.string,
  correlation_id: dbNullable(t.string),
  causation_id: dbNullable(t.string),
  occurred_at: dbNullable(DbDate),
  data: t.unknown,
  received_at: DbDate,
}));

const InsertedId = rowSchema(t.type({ message_id: t.string }));

/**
 * The audit log in `audit_log`, one statement per call (on the pool: the unique message id and
 * `ON CONFLICT DO NOTHING` make an append atomic and idempotent by themselves). The table refuses
 * UPDATE, DELETE and TRUNCATE. A database that cannot serve becomes DATABASE.UNAVAILABLE, as in a
 * unit of work, so the consumer retries the message.
 */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly connection: CommonQueryMethods) {}

  async append(...entries: AuditEntry[]): Promise<boolean[]> {
    if (entries.length === 0) return [];
    // One statement for the whole burst: VALUES rows are inserted in the order listed, so positions
    // follow it; a second row with an id already given in the same statement conflicts and is skipped.
    const rows = entries.map((entry) => sql.fragment`(
      ${entry.messageId}, ${entry.type}, ${entry.source}, ${entry.correlationId}, ${entry.causationId},
      ${entry.occurredAt === null ? null : timestamptz(entry.occurredAt)},
      ${JSON.stringify(entry.data ?? null)}::jsonb,
      ${timestamptz(entry.receivedAt)}
    )`);
    const inserted = await whileDatabaseAvailable(() => this.connection.anyFirst(sql.type(InsertedId)`
      INSERT INTO audit_log (message_id, type, source, correlation_id, causation_id, occurred_at, data, received_at)
      VALUES ${sql.join(rows, sql.fragment`, `)}
      ON CONFLICT (message_id) DO NOTHING
      RETURNING message_id`));
    const fresh = new Set(inserted);
    // Only the first entry of an id that went in now was appended now.
    return entries.map((entry) => fresh.delete(entry.messageId));
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    const conditions = [sql.fragment`TRUE`];
    if (query.type !== undefined) conditions.push(sql.fragment`type = ${query.type}`);
    if (query.correlationId !== undefined) conditions.push(sql.fragment`correlation_id = ${query.correlationId}`);
    if (query.from !== undefined) conditions.push(sql.fragment`occurred_at >= ${timestamptz(query.from)}`);
    if (query.to !== undefined) conditions.push(sql.fragment`occurred_at < ${timestamptz(query.to)}`);
    if (query.before !== undefined && query.before !== null) conditions.push(sql.fragment`position < ${query.before}`);
    const rows = await whileDatabaseAvailable(() => this.connection.any(sql.type(AuditRow)`
      SELECT position, message_id, type, source, correlation_id, causation_id, occurred_at, data, received_at
      FROM audit_log
      WHERE ${sql.join(conditions, sql.fragment` AND `)}
      ORDER BY position DESC
      LIMIT ${Math.max(0, Math.trunc(query.limit))}`));
    return rows.map((row) => ({
      position: row.position,
      messageId: row.message_id,
      type: row.type,
      source: row.source,
      correlationId: row.correlation_id,
      causationId: row.causation_id,
      occurredAt: row.occurred_at,
      data: row.data,
      receivedAt: row.received_at,
    }));
  }
}
