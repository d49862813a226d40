import * as t from 'io-ts';
import { sql, type DatabasePool } from 'slonik';
import { DbDate, containsNul, rowSchema, timestamptz, whileDatabaseAvailable } from '@conference/adapters-postgres';
import type { LoginThrottle, ThrottleDecision, ThrottleLimit } from '@conference/user';

const WindowRow = rowSchema(t.type({ window_start: DbDate, failures: t.number }));

/** Rows whose window ended more than this long ago are purged now and then. */
const PURGE_AFTER_MS = 24 * 60 * 60 * 1000;
/** About one failure in this many also purges old rows: cheap, and keeps a sprayed table small. */
const PURGE_EVERY = 200;

/** PostgreSQL text cannot hold U+0000; such a key (never a real email or address) is stored with U+FFFD instead. */
const storable = (key: string): string => (containsNul(key) ? key.replaceAll('\u0000', '\uFFFD') : key);

/**
 * LoginThrottle on the login_attempts table (migrations/0002_login_attempts.sql), on the pool
 * itself rather than a unit of work: a failure must be counted whatever becomes of the login's own
 * transaction. Every instance shares the table, so the limits hold across instances.
 *
 * `recordFailure` is one INSERT … ON CONFLICT DO UPDATE: PostgreSQL serialises concurrent upserts
 * of one key on its row, so no failure is lost between instances, and a window that has ended is
 * restarted in the same statement (both SET expressions read the row as it was).
 */
export class PostgresLoginThrottle implements LoginThrottle {
  constructor(private readonly pool: DatabasePool) {}

  async check(key: string, limit: ThrottleLimit, now: Date): Promise<ThrottleDecision> {
    const row = await whileDatabaseAvailable(() => this.pool.maybeOne(sql.type(WindowRow)`
      SELECT window_start, failures FROM login_attempts WHERE key = ${storable(key)}`));
    if (!row) return { allowed: true };
    const endsAt = row.window_start.getTime() + limit.windowSeconds * 1000;
    if (now.getTime() >= endsAt || row.failures < limit.maxFailures) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) };
  }

  async recordFailure(key: string, limit: ThrottleLimit, now: Date): Promise<void> {
    const at = timestamptz(now);
    const windowEnded = sql.fragment`login_attempts.window_start + make_interval(secs => ${limit.windowSeconds}) <= ${at}`;
    await whileDatabaseAvailable(() => this.pool.query(sql.unsafe`
      INSERT INTO login_attempts (key, window_start, failures)
      VALUES (${storable(key)}, ${at}, 1)
      ON CONFLICT (key) DO UPDATE SET
        window_start = CASE WHEN ${windowEnded} THEN EXCLUDED.window_start ELSE login_attempts.window_start END,
        failures     = CASE WHEN ${windowEnded} THEN 1 ELSE login_attempts.failures + 1 END`));
    if (Math.random() * PURGE_EVERY < 1) await this.purge(new Date(now.getTime() - PURGE_AFTER_MS));
  }

  async reset(key: string): Promise<void> {
    await whileDatabaseAvailable(() => this.pool.query(sql.unsafe`DELETE FROM login_attempts WHERE key = ${storable(key)}`));
  }

  /** Deletes the rows whose window started before `before` (no window is that long). */
  async purge(before: Date): Promise<number> {
    const result = await whileDatabaseAvailable(() => this.pool.query(sql.unsafe`DELETE FROM login_attempts WHERE window_start < ${timestamptz(before)}`));
    return result.rowCount;
  }
}
