import { DomainError, clampLimit, decodeCursor, encodeCursor, err, isUuid, ok, type Page, type Result } from '@conference/kernel';
import type { Keyset, Slice, SortKey } from '../ports/keyset.js';

/** What a list request carries from the edge: `?limit=&cursor=`. */
export interface PageQuery {
  readonly limit?: number;
  readonly cursor?: string | null;
}

const invalidCursor = () =>
  DomainError.validation('PAGINATION.INVALID_CURSOR', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);

/** Turns `?limit=&cursor=` into a repository keyset; a cursor this API did not issue is a validation error. */
export function readKeyset(query: PageQuery): Result<Keyset, DomainError> {
  const limit = clampLimit(query.limit);
  if (!query.cursor) return ok({ limit, after: null });
  const decoded = decodeCursor(query.cursor, 2);
  if (!decoded.ok) return decoded;
  const [at, id] = decoded.value;
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) return err(invalidCursor());
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return err(invalidCursor());
  return ok({ limit, after: { at: date, id } });
}

/** The page the client sees: the items, and a cursor after the last one when more follow. */
export function toPage<T, V>(slice: Slice<T>, keyOf: (item: T) => SortKey, view: (item: T) => V): Page<V> {
  const last = slice.items[slice.items.length - 1];
  const key = last === undefined ? null : keyOf(last);
  return {
    items: slice.items.map(view),
    nextCursor: slice.hasMore && key ? encodeCursor([key.at.toISOString(), key.id]) : null,
  };
}
