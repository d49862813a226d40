import * as t from 'io-ts';
import { sql, type CommonQueryMethods, type DatabasePool, type DatabasePoolConnection } from 'slonik';
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
  /** Rows read and published per round (default 500). Only the lease holder relays, so nothing is gained by keeping it small. */
  readonly batchSize?: number;
  /**
   * How often an idle lease holder looks for rows nobody kicked it about (default 200 ms). Instances
   * without the lease cannot kick it, so after rows were seen it looks again sooner: every
   * `minRoundIntervalMs`, doubling per empty round up to this.
   */
  readonly intervalMs?: number;
  /**
   * Least time between the starts of two rounds that were not full (default 5 ms). Under a steady
   * trickle of kicks (a consumer committing one outcome per message) this turns one round per
   * message into one round per few milliseconds' worth of messages; a full round goes again at once.
   */
  readonly minRoundIntervalMs?: number;
  /** Cap of the backoff after failures (default 5 s); the first retry waits `intervalMs`. */
  readonly maxBackoffMs?: number;
  /** How often an instance without the lease tries to take it (default 1 s): the takeover delay after the holder's session ends. */
  readonly takeoverMs?: number;
  /**
   * The lease holder's session is ended by PostgreSQL after this long without a statement
   * (`idle_session_timeout`, default 30 s), so a holder that hangs or is cut off from the database
   * loses the lease within that bound. Must exceed the publisher's confirm timeout and `maxBackoffMs`.
   */
  readonly leaseTimeoutMs?: number;
  /** Consecutive failed rounds after which the holder hands the lease over, in case only its broker link is broken (default 5). */
  readonly resignAfterFailures?: number;
  /** Names the lease (default `outbox-relay`); advisory locks are per database, so one outbox table per key. */
  readonly leaseKey?: string;
  readonly logger?: Logger;
  /** For logs: whose outbox this is. */
  readonly name?: string;
}

export interface RelayReport {
  /** Confirmed by the broker and marked published. */
  readonly published: number;
  /** Tried and not confirmed: attempts incremented, left for the next round. */
  readonly failed: number;
  /** Read but not tried: behind an earlier message of the same aggregate that failed this round. */
  readonly deferred: number;
}

const OutboxRow = rowSchema(t.type({ position: t.union([t.number, t.string]), aggregate_id: t.string, envelope: t.UnknownRecord }));
const LockRow = rowSchema(t.type({ locked: t.boolean, timeout: t.union([t.string, t.null]) }));

interface Claimed {
  readonly position: number;
  readonly aggregateId: string;
  readonly envelope: MessageEnvelope;
}

const EMPTY: RelayReport = { published: 0, failed: 0, deferred: 0 };

/**
 * Moves messages from a service's `outbox` table to the broker (DESIGN §4): re-sends until the
 * broker confirms, and marks a row published only after its confirm.
 *
 * One relay per outbox works at a time. Every instance of a service runs an OutboxRelay, but only
 * the holder of a lease — a session-level advisory lock, held on one pooled connection for as
 * long as it leads — reads and publishes; the others try to take the lease every `takeoverMs`.
 * Relays that all claimed rows with FOR UPDATE SKIP LOCKED used to spend most of their statements
 * on each other (a transaction, a claim, an order check across claims, the mark); with one holder
 * a round is two statements outside any transaction: read the oldest unpublished rows, publish,
 * mark them in one UPDATE.
 *
 * The lease ends with the holder's session: on a crash, a dropped connection, after
 * `leaseTimeoutMs` without a statement (a hung or cut-off holder), on `stop()`, or when the holder
 * resigns after `resignAfterFailures` failed rounds. Every write of a round goes through the
 * lease's connection, so a holder that lost its session cannot mark anything: the next holder
 * sends those rows again (at-least-once; consumers dedupe by message id).
 *
 * Per-aggregate order: rows are read in position order; within a round they go out in waves (the
 * 1st row of each aggregate, then the 2nd, ...), each wave confirmed before the next, and an
 * aggregate whose row failed sends nothing more this round. A batch spanning many aggregates is
 * one wave, one confirm round trip. This relies on the rows of one aggregate being committed in
 * position order, which holds because use cases serialize the writes of one aggregate (row lock or
 * version check); a row of another aggregate that commits late with a lower position simply goes
 * out in a later round.
 *
 * During a rolling upgrade from the relay without a lease, both kinds run side by side: the old
 * one's claims do not see the lease, so a message can go out twice (never lost; the inbox dedupes).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly minRoundIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly takeoverMs: number;
  private readonly leaseTimeoutMs: number;
  private readonly resignAfterFailures: number;
  private readonly leaseKey: string;
  private readonly logger: Logger;
  private readonly name: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private failures = 0;
  private leading = false;

  constructor(private readonly pool: DatabasePool, private readonly publisher: BatchPublisher, options: OutboxRelayOptions = {}) {
    this.batchSize = options.batchSize ?? 500;
    this.intervalMs = options.intervalMs ?? 200;
    this.minRoundIntervalMs = options.minRoundIntervalMs ?? 5;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.takeoverMs = options.takeoverMs ?? 1_000;
    this.leaseTimeoutMs = options.leaseTimeoutMs ?? 30_000;
    this.resignAfterFailures = options.resignAfterFailures ?? 5;
    this.leaseKey = options.leaseKey ?? 'outbox-relay';
    this.logger = options.logger ?? jsonLogger;
    this.name = options.name ?? 'outbox';
  }

  /** True while this instance holds the lease (for readiness, metrics and tests). */
  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the round in progress and gives the lease up, so a standby takes over at its next try (`takeoverMs`). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Call after committing a unit of work that wrote to the outbox: publishes now instead of at the next tick (on the lease holder). */
  kick(): void {
    this.kicked = true;
    // During a backoff the kick waits its turn: the broker is not back because a request arrived.
    if (this.leading && this.failures === 0) this.wake?.();
  }

  /**
   * One round under the lease, taken for this round only; reports nothing done when another
   * instance holds it (or this relay is running: use it on a relay that is not started, in tests
   * or for a drain).
   */
  relayOnce(): Promise<RelayReport> {
    return this.pool.connect(async (connection) => {
      if (!(await this.tryLock(connection))) return EMPTY;
      try {
        return await this.round(connection);
      } finally {
        await this.unlock(connection);
      }
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      let wait = this.takeoverMs;
      // slonik settles connect() as soon as the session errors, possibly while lead() is still awaiting: the token stops that orphan.
      const lease = { lost: false };
      try {
        const resigned = await this.pool.connect(async (connection) => {
          if (!(await this.tryLock(connection))) return false;
          try {
            return await this.lead(connection, lease);
          } finally {
            lease.lost = true;
            this.leading = false;
            // A session that died took its locks with it; a live one must let go, or the pooled connection keeps the lease.
            await this.unlock(connection);
          }
        });
        // Step aside for longer than a standby's period so that one of them gets the lease.
        if (resigned) wait = this.takeoverMs * 2;
      } catch (error) {
        this.logger.error({ relay: this.name, ...errorFields(error), retryInMs: wait }, 'outbox relay lost its database session');
      } finally {
        if (!lease.lost) {
          lease.lost = true;
          this.leading = false;
        }
      }
      if (this.running) await this.sleep(wait);
    }
  }

  /** Rounds until stopped (false) or until it resigns after repeated failures (true); throws when the session fails. */
  private async lead(connection: DatabasePoolConnection, lease: { readonly lost: boolean }): Promise<boolean> {
    this.leading = true;
    this.logger.info({ relay: this.name }, 'outbox relay took the lease');
    // Rounds in a row that found nothing: an outbox that just had rows probably gets more soon, from any instance.
    let empty = 0;
    while (this.running && !lease.lost) {
      const started = Date.now();
      let wait = this.intervalMs;
      let report: RelayReport;
      try {
        report = await this.round(connection);
      } catch (error) {
        // The database statements failed: the session is suspect, so the lease goes with it.
        this.failures += 1;
        throw error;
      }
      if (report.failed > 0) {
        this.failures += 1;
        wait = this.backoff();
        this.logger.warn({ relay: this.name, ...report, retryInMs: wait }, 'outbox relay could not publish; will retry');
        if (this.failures >= this.resignAfterFailures) {
          this.logger.warn({ relay: this.name, failures: this.failures }, 'outbox relay hands its lease over after repeated failures');
          return true;
        }
      } else {
        this.failures = 0;
        const seen = report.published + report.deferred;
        empty = seen > 0 ? 0 : empty + 1;
        if (seen >= this.batchSize) wait = 0; // probably more behind it
        else wait = Math.min(wait, this.minRoundIntervalMs * 2 ** Math.min(empty, 16));
      }
      if (this.kicked && this.failures === 0) wait = Math.min(wait, this.minRoundIntervalMs);
      this.kicked = false;
      // Only the time not already spent in the round; and never so long that the lease's idle timeout fires.
      wait = Math.min(wait - (Date.now() - started), this.leaseTimeoutMs / 3);
      if (wait > 0 && this.running && !lease.lost) await this.sleep(wait);
    }
    return false;
  }

  /** Read, publish, mark: two statements, no transaction (the lease is what keeps other relays off these rows). */
  private async round(connection: CommonQueryMethods): Promise<RelayReport> {
    const rows = await connection.any(sql.type(OutboxRow)`
      SELECT position, aggregate_id, envelope FROM outbox
      WHERE published_at IS NULL
      ORDER BY position
      LIMIT ${this.batchSize}`);
    if (rows.length === 0) return EMPTY;
    const claimed: Claimed[] = rows.map((row) => ({ position: Number(row.position), aggregateId: row.aggregate_id, envelope: row.envelope as unknown as MessageEnvelope }));
    const published: number[] = [];
    const failed: number[] = [];
    let firstError: Error | null = null;
    const blocked = new Set<string>();
    for (const wave of waves(claimed)) {
      const sendable = wave.filter((row) => !blocked.has(row.aggregateId));
      if (sendable.length === 0) break;
      const outcomes = await this.publisher.publishBatch(sendable.map((row) => row.envelope));
      sendable.forEach((row, index) => {
        const error = outcomes[index];
        if (error) {
          failed.push(row.position);
          firstError ??= error;
          blocked.add(row.aggregateId);
        } else {
          published.push(row.position);
        }
      });
    }
    if (failed.length === 0) {
      await connection.query(sql.unsafe`
        UPDATE outbox SET published_at = now(), last_error = NULL
        WHERE position = ANY(${sql.array(published, 'int8')})`);
    } else {
      // Both outcomes in one statement: a failed row keeps published_at NULL and counts an attempt.
      const error = (firstError as Error | null)?.message.slice(0, 1000) ?? 'publish failed';
      await connection.query(sql.unsafe`
        UPDATE outbox SET
          published_at = CASE WHEN position = ANY(${sql.array(failed, 'int8')}) THEN NULL ELSE now() END,
          attempts = attempts + CASE WHEN position = ANY(${sql.array(failed, 'int8')}) THEN 1 ELSE 0 END,
          last_error = CASE WHEN position = ANY(${sql.array(failed, 'int8')}) THEN ${error} ELSE NULL END
        WHERE position = ANY(${sql.array([...published, ...failed], 'int8')})`);
    }
    return { published: published.length, failed: failed.length, deferred: claimed.length - published.length - failed.length };
  }

  /** Takes the lease on this session if free; bounds how long the session may then sit idle. */
  private async tryLock(connection: CommonQueryMethods): Promise<boolean> {
    // Only a session that got the lease gets the timeout: a standby's connection goes back to the pool as it was.
    const row = await connection.one(sql.type(LockRow)`
      WITH lease AS MATERIALIZED (SELECT pg_try_advisory_lock(hashtextextended(${this.leaseKey}, 0)) AS locked)
      SELECT locked, CASE WHEN locked THEN set_config('idle_session_timeout', ${`${this.leaseTimeoutMs}ms`}, false) END AS timeout
      FROM lease`);
    return row.locked;
  }

  /** False when the session is gone (its locks went with it). */
  private async unlock(connection: CommonQueryMethods): Promise<boolean> {
    try {
      await connection.query(sql.unsafe`SELECT pg_advisory_unlock(hashtextextended(${this.leaseKey}, 0))`);
      await connection.query(sql.unsafe`RESET idle_session_timeout`);
      return true;
    } catch {
      return false;
    }
  }

  private backoff(): number {
    return backoffDelay(this.failures, { initialDelayMs: this.intervalMs, maxDelayMs: this.maxBackoffMs, factor: 2, jitter: 0.5 });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        if (this.wake === wake) this.wake = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wake = wake;
    });
  }
}

/** Rows in waves: the first row of each aggregate, then the second, ... (position order within a wave). */
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
