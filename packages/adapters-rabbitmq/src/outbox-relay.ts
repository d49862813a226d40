import * as t from 'io-ts';
import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import type { MessageEnvelope } from '@conference/kernel';
import { rowSchema } from '@conference/adapters-postgres';
import { backoffDelay } from './connection.js';
import { errorFields, jsonLogger, type Logger } from './logger.js';

/** What the relay needs from a publisher (AmqpPublisher; a fake in a unit test). */
export interface BatchPublisher {
  /** Per message: null when the broker confirmed it, the error otherwise. Must not throw. */
  publishBatch(envelopes: readonly MessageEnvelope[]): Promise<Array<Error | null>>;
}

export interface OutboxRelayOptions {
  /** Rows claimed per transaction (default 100). Small enough that a second instance finds work of its own. */
  readonly batchSize?: number;
  /** How often an idle relay looks for rows nobody kicked it about (default 200 ms). */
  readonly intervalMs?: number;
  /** Cap of the backoff after failures (default 5 s); the first retry waits `intervalMs`. */
  readonly maxBackoffMs?: number;
  readonly logger?: Logger;
  /** For logs: whose outbox this is. */
  readonly name?: string;
}

export interface RelayReport {
  /** Confirmed by the broker and marked published. */
  readonly published: number;
  /** Tried and not confirmed: attempts incremented, left for the next round. */
  readonly failed: number;
  /** Claimed but not tried: behind an earlier message of the same aggregate that is not done. */
  readonly deferred: number;
}

const PositionRow = rowSchema(t.type({ position: t.union([t.number, t.string]), aggregate_id: t.string }));
const OutboxRow = rowSchema(t.type({ position: t.union([t.number, t.string]), aggregate_id: t.string, envelope: t.UnknownRecord }));

interface Claimed {
  readonly position: number;
  readonly aggregateId: string;
  readonly envelope: MessageEnvelope;
}

/**
 * Moves messages from a service's `outbox` table to the broker (DESIGN §4, and what eShop lacks:
 * something that re-sends until the broker confirms).
 *
 * Per round, in one transaction: claim the oldest unpublished rows with FOR UPDATE SKIP LOCKED
 * (another instance claims the next rows instead of waiting or sending the same ones), publish
 * them with confirms, mark the confirmed ones `published_at` and count a failure on the others,
 * commit. A crash between confirm and commit sends those rows again: at-least-once, and consumers
 * dedupe by message id.
 *
 * Per-aggregate order: rows of one aggregate are published in position order and never ahead of
 * an earlier row of theirs that is not yet confirmed:
 * - across instances, a claimed row is held back when an earlier unpublished row of its aggregate
 *   is not in this claim (another instance has it, or is committing it right now);
 * - within a claim, rows are published in waves (the 1st row of each aggregate, then the 2nd, ...),
 *   each wave confirmed before the next, and an aggregate whose row failed sends nothing more this
 *   round. Most claims span many aggregates, so this costs one or two confirm round trips.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: Logger;
  private readonly name: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private failures = 0;

  constructor(private readonly pool: DatabasePool, private readonly publisher: BatchPublisher, options: OutboxRelayOptions = {}) {
    this.batchSize = options.batchSize ?? 100;
    this.intervalMs = options.intervalMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.logger = options.logger ?? jsonLogger;
    this.name = options.name ?? 'outbox';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the round in progress (its transaction commits or rolls back; nothing is half-done). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Call after committing a unit of work that wrote to the outbox: publishes now instead of at the next tick. */
  kick(): void {
    this.kicked = true;
    // During a backoff the kick waits its turn: the broker is not back because a request arrived.
    if (this.failures === 0) this.wake?.();
  }

  /** One round: claim, publish, mark. Exposed for tests and for a drain on shutdown. */
  relayOnce(): Promise<RelayReport> {
    return this.pool.transaction(async (tx) => {
      const claimed = await this.claim(tx);
      if (claimed.length === 0) return { published: 0, failed: 0, deferred: 0 };
      const ready = await this.inOrder(tx, claimed);
      const published: number[] = [];
      const failed: Array<{ position: number; error: Error }> = [];
      const blocked = new Set<string>();
      for (const wave of waves(ready)) {
        const sendable = wave.filter((row) => !blocked.has(row.aggregateId));
        if (sendable.length === 0) break;
        const outcomes = await this.publisher.publishBatch(sendable.map((row) => row.envelope));
        sendable.forEach((row, index) => {
          const error = outcomes[index];
          if (error) {
            failed.push({ position: row.position, error });
            blocked.add(row.aggregateId);
          } else {
            published.push(row.position);
          }
        });
      }
      if (published.length > 0) {
        await tx.query(sql.unsafe`
          UPDATE outbox SET published_at = now(), last_error = NULL
          WHERE position = ANY(${sql.array(published, 'int8')})`);
      }
      if (failed.length > 0) {
        await tx.query(sql.unsafe`
          UPDATE outbox SET attempts = attempts + 1, last_error = ${failed[0]!.error.message.slice(0, 1000)}
          WHERE position = ANY(${sql.array(failed.map((f) => f.position), 'int8')})`);
      }
      return { published: published.length, failed: failed.length, deferred: claimed.length - published.length - failed.length };
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      let wait = this.intervalMs;
      try {
        const report = await this.relayOnce();
        if (report.failed > 0) {
          this.failures += 1;
          wait = this.backoff();
          this.logger.warn({ relay: this.name, ...report, retryInMs: wait }, 'outbox relay could not publish; will retry');
        } else {
          this.failures = 0;
          // A full claim means there is probably more: go again at once.
          if (report.published + report.deferred >= this.batchSize && report.published > 0) wait = 0;
        }
      } catch (error) {
        this.failures += 1;
        wait = this.backoff();
        this.logger.error({ relay: this.name, ...errorFields(error), retryInMs: wait }, 'outbox relay round failed');
      }
      if (this.kicked && this.failures === 0) wait = 0;
      this.kicked = false;
      if (wait > 0 && this.running) await this.sleep(wait);
    }
  }

  private backoff(): number {
    return backoffDelay(this.failures, { initialDelayMs: this.intervalMs, maxDelayMs: this.maxBackoffMs, factor: 2, jitter: 0.5 });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { clearTimeout(timer); this.wake = null; resolve(); };
    });
  }

  private async claim(tx: DatabaseTransactionConnection): Promise<Claimed[]> {
    const rows = await tx.any(sql.type(OutboxRow)`
      SELECT position, aggregate_id, envelope FROM outbox
      WHERE published_at IS NULL
      ORDER BY position
      LIMIT ${this.batchSize}
      FOR UPDATE SKIP LOCKED`);
    return rows.map((row) => ({ position: Number(row.position), aggregateId: row.aggregate_id, envelope: row.envelope as unknown as MessageEnvelope }));
  }

  /**
   * Keeps, per aggregate, the claimed rows up to the first unpublished row of that aggregate this
   * claim does not hold. The check reads without locking, so a row another instance is marking
   * right now still looks unpublished: the doubt always falls on the side of waiting.
   */
  private async inOrder(tx: DatabaseTransactionConnection, claimed: Claimed[]): Promise<Claimed[]> {
    const aggregates = [...new Set(claimed.map((row) => row.aggregateId))];
    const last = claimed[claimed.length - 1]!.position;
    const pending = await tx.any(sql.type(PositionRow)`
      SELECT position, aggregate_id FROM outbox
      WHERE published_at IS NULL AND aggregate_id = ANY(${sql.array(aggregates, 'text')}) AND position <= ${last}
      ORDER BY position`);
    const mine = new Set(claimed.map((row) => row.position));
    const stopped = new Set<string>();
    const allowed = new Set<number>();
    for (const row of pending) {
      const position = Number(row.position);
      if (stopped.has(row.aggregate_id)) continue;
      if (mine.has(position)) allowed.add(position);
      else stopped.add(row.aggregate_id);
    }
    return claimed.filter((row) => allowed.has(row.position));
  }
}

/** Rows in waves: the first row of each aggregate, then the second, ... (claim order within a wave). */
function waves(rows: readonly Claimed[]): Claimed[][] {
  const seen = new Map<string, number>();
  const result: Claimed[][] = [];
  for (const row of rows) {
    const index = seen.get(row.aggregateId) ?? 0;
    seen.set(row.aggregateId, index + 1);
    (result[index] ??= []).push(row);
  }
  return result;
}
