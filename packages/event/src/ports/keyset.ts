/**
 * Keyset paging as the repositories see it: a typed position instead of an opaque cursor (the use
 * cases encode and decode cursors, so every adapter pages the same way and a bad cursor is a
 * validation error, not an adapter's exception).
 */
export interface SortKey {
  /** The time the list is ordered by (an event's startsAt, an enrollment's createdAt). */
  readonly at: Date;
  /** The tie-break: a lowercase UUID, compared as text (the same order as PostgreSQL's uuid type). */
  readonly id: string;
}

export interface Keyset {
  /** At most this many items (1..100). */
  readonly limit: number;
  /** Only items strictly after this key; null for the first page. */
  readonly after: SortKey | null;
}

export interface Slice<T> {
  readonly items: readonly T[];
  /** Whether items exist after the last one returned. */
  readonly hasMore: boolean;
}
