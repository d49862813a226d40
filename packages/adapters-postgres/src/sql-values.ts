import { sql, type FragmentSqlToken } from 'slonik';
import { isUuid } from '@conference/kernel';

/**
 * A UUID as a uuid column holds it, or null for text that cannot be one. A malformed id names no row:
 * it must not reach PostgreSQL, where the uuid cast would fail the statement (and abort the whole
 * unit of work) instead of finding nothing.
 */
export const asUuid = (id: string): string | null => (isUuid(id) ? id.toLowerCase() : null);

/** PostgreSQL text cannot hold U+0000: no stored value contains it, and as a parameter it is an encoding error. */
export const containsNul = (text: string): boolean => text.includes('\u0000');

/** `%`, `_` and the escape character itself, escaped so `ILIKE ... ESCAPE '\'` takes the text literally. */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A Date as a timestamptz parameter. The ISO text keeps the milliseconds exactly (sql.timestamp goes
 * through a float number of seconds), and the result is a plain timestamptz the indexes can use.
 */
export const timestamptz = (date: Date): FragmentSqlToken => sql.fragment`${date.toISOString()}::timestamptz`;

/** At most `limit` rows of a keyset page, fetching one more to learn whether more follow. */
export const pageLimit = (limit: number): number => Math.max(Math.trunc(limit), 0);

export function sliceOf<T>(rows: readonly T[], limit: number): { items: T[]; hasMore: boolean } {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}
