import type { Keyset, Slice, SortKey } from '../ports/keyset.js';

/** Orders by time, then id as text: the order of `ORDER BY at, id` on a timestamptz and a uuid column. */
export const compareSortKeys = (a: SortKey, b: SortKey): number =>
  a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What a keyset query returns: items strictly after the key, in key order, and whether more follow. */
export function sliceAfter<T>(items: Iterable<T>, keyOf: (item: T) => SortKey, page: Keyset): Slice<T> {
  const sorted = [...items].sort((a, b) => compareSortKeys(keyOf(a), keyOf(b)));
  const after = page.after;
  const rest = after === null ? sorted : sorted.filter((item) => compareSortKeys(keyOf(item), after) > 0);
  return { items: rest.slice(0, page.limit), hasMore: rest.length > page.limit };
}
