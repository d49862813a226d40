/** google.protobuf.Timestamp as proto-loader gives it with `longs: Number`. */
export interface Timestamp {
  readonly seconds: number;
  readonly nanos: number;
}

/** A Date as a Timestamp; milliseconds survive exactly (nanos = ms × 10^6), also before 1970. */
export function toTimestamp(date: Date): Timestamp {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('cannot send an invalid date');
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/**
 * A Timestamp as a Date (to the millisecond, the precision of every store we have), or null when the
 * peer sent none or nonsense: a peer's answer is input like any other and is checked, not trusted.
 */
export function fromTimestamp(value: Partial<Timestamp> | null | undefined): Date | null {
  if (value == null) return null;
  const seconds = Number(value.seconds ?? 0);
  const nanos = Number(value.nanos ?? 0);
  if (!Number.isSafeInteger(seconds) || !Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) return null;
  const date = new Date(seconds * 1000 + Math.floor(nanos / 1_000_000));
  return Number.isNaN(date.getTime()) ? null : date;
}
