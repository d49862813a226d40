import { isUuid } from '@conference/kernel';

/**
 * A UUID as a uuid column holds it, or null for text that cannot be one. A malformed id names no row:
 * it must not reach PostgreSQL, where the uuid cast would fail the statement (and abort the
 * transaction) instead of finding nothing.
 */
export const asUuid = (id: string): string | null => (isUuid(id) ? id.toLowerCase() : null);

/** PostgreSQL text cannot hold U+0000: no stored value contains it, and as a parameter it is an encoding error. */
export const containsNul = (text: string): boolean => text.includes('\u0000');

/** `%`, `_` and the escape character itself, escaped so `ILIKE ... ESCAPE '\'` takes the text literally. */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
