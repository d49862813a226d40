import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import type { Inbox, MessageEnvelope, Outbox, OutgoingMessage } from '@conference/kernel';
import { rowSchema } from './row-schema.js';

/** Outbox on the transaction's connection: rows commit or vanish with the state change. */
export class PostgresOutbox implements Outbox {
  constructor(private readonly connection: CommonQueryMethods) {}

  async add(...messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connection.query(sql.unsafe`
      INSERT INTO outbox (id, aggregate_id, type, envelope)
      SELECT * FROM ${sql.unnest(
        messages.map((m) => [m.envelope.id, m.aggregateId, m.envelope.type, JSON.stringify(m.envelope)]),
        ['uuid', 'text', 'text', 'jsonb'],
      )}`);
  }
}

const MessageIdRow = rowSchema(t.type({ message_id: t.string }));

/** Inbox on the transaction's connection: the record commits with the state change it guards. */
export class PostgresInbox implements Inbox {
  constructor(private readonly connection: CommonQueryMethods) {}

  async record(consumer: string, messageId: string): Promise<boolean> {
    return (await this.recordMany(consumer, [messageId])).has(messageId);
  }

  async recordMany(consumer: string, messageIds: readonly string[]): Promise<ReadonlySet<string>> {
    // Sorted and unique: two batches inserting overlapping ids take the key locks in the same order,
    // so the second waits for the first instead of deadlocking with it.
    const ids = [...new Set(messageIds)].sort();
    if (ids.length === 0) return new Set();
    const inserted = await this.connection.anyFirst(sql.type(MessageIdRow)`
      INSERT INTO inbox (consumer, message_id)
      SELECT ${consumer}, id FROM unnest(${sql.array(ids, 'text')}::text[]) WITH ORDINALITY AS m(id, n) ORDER BY n
      ON CONFLICT DO NOTHING
      RETURNING message_id`);
    return new Set(inserted);
  }
}

const OutboxRow = rowSchema(t.type({ aggregate_id: t.string, envelope: t.unknown }));

/** Unpublished outbox rows in publishing order (used by the relay and by tests). */
export async function pendingOutbox(connection: CommonQueryMethods, limit = 1000): Promise<OutgoingMessage[]> {
  const rows = await connection.any(sql.type(OutboxRow)`
    SELECT aggregate_id, envelope FROM outbox WHERE published_at IS NULL ORDER BY position LIMIT ${limit}`);
  return rows.map((row) => ({ aggregateId: row.aggregate_id, envelope: row.envelope as MessageEnvelope }));
}
