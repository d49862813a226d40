import { DomainError } from './errors.js';
import { err, ok, type Result } from './result.js';

/** Keyset pagination (DESIGN §7): stable pages with no gaps or duplicates when items are added. */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The sort key of the last item on a page: e.g. [startsAt ISO string, id]. */
export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): Result<CursorKey, DomainError> {
  const invalid = err(DomainError.validation('PAGINATION.INVALID_CURSOR', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]));
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== arity) return invalid;
    if (!parsed.every((part) => typeof part === 'string' || typeof part === 'number')) return invalid;
    return ok(parsed as CursorKey);
  } catch {
    return invalid;
  }
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE_SIZE);
}

/** Compares two cursor keys part by part (strings lexically, numbers numerically). */
export function compareKeys(a: CursorKey, b: CursorKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Pages an in-memory list by a sort key, the way a keyset query does: items strictly after the
 * cursor, in key order, one more than the limit to know whether a next page exists.
 */
export function pageByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => CursorKey,
  request: PageRequest,
  keyArity = 2,
): Result<Page<T>, DomainError> {
  const limit = clampLimit(request.limit);
  let after: CursorKey | null = null;
  if (request.cursor) {
    const decoded = decodeCursor(request.cursor, keyArity);
    if (!decoded.ok) return decoded;
    after = decoded.value;
  }
  const sorted = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const rest = after === null ? sorted : sorted.filter((item) => compareKeys(keyOf(item), after) > 0);
  const pageItems = rest.slice(0, limit);
  const last = pageItems[pageItems.length - 1];
  return ok({ items: pageItems, nextCursor: rest.length > limit && last ? encodeCursor(keyOf(last)) : null });
}
