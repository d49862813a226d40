/**
 * Port: locks that make "check for overlaps, then write" atomic across service instances.
 *
 * Use cases call `acquire(scheduleLockKeys(booking))` inside the unit of work, before the
 * overlap queries of SessionRepository, for every booking they write (create, update, add a
 * speaker). The keys name each speaker (`session:speaker:<id>`) and, for a session of an event,
 * its room (`session:room:<eventId>:<roomKey>`), so two instances cannot book the same speaker or
 * room at the same time: the second waits until the first commits, then sees its session.
 *
 * Contract:
 * - Locks are held until the unit of work ends (commit or rollback) and released then; there is
 *   no explicit release.
 * - Keys may come in any order and repeat; adapters take them in sorted order, once each, so two
 *   bookings that share keys can never deadlock.
 * - Acquiring a key already held by the same unit of work succeeds at once.
 *
 * Adapters: in memory, units of work already run one at a time, so it does nothing (the test
 * adapter records the keys). The PostgreSQL adapter hashes each key to a bigint (e.g.
 * `hashtextextended(key, 0)`) and runs `pg_advisory_xact_lock` on the sorted hashes, under a
 * short `lock_timeout` so a stuck holder surfaces as an error instead of a hung request (pretix's
 * per-quota lock, DESIGN §7). Hash collisions only serialize unrelated bookings; they never
 * let a clash through.
 */
export interface ScheduleLocks {
  acquire(keys: readonly string[]): Promise<void>;
}
