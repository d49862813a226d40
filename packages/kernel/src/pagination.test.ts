import { expect } from 'chai';
import { clampLimit, decodeCursor, encodeCursor, pageByKey } from './pagination.js';

describe('keyset pagination', () => {
  const items = Array.from({ length: 7 }, (_, i) => ({ at: `2026-01-0${i + 1}`, id: `id-${i}` }));
  const keyOf = (item: { at: string; id: string }) => [item.at, item.id] as const;

  it('walks every item once across pages', () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ReturnType<typeof pageByKey<(typeof items)[number]>> = pageByKey(items, keyOf, { limit: 3, cursor });
      expect(page.ok).to.equal(true);
      if (!page.ok) return;
      seen.push(...page.value.items.map((i) => i.id));
      cursor = page.value.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(items.map((i) => i.id));
  });

  it('neither repeats nor skips when an item is added before the cursor between pages', () => {
    const first = pageByKey(items, keyOf, { limit: 3 });
    if (!first.ok) throw first.error;
    const grown = [{ at: '2026-01-00', id: 'early' }, ...items];
    const second = pageByKey(grown, keyOf, { limit: 3, cursor: first.value.nextCursor });
    if (!second.ok) throw second.error;
    expect(second.value.items.map((i) => i.id)).to.deep.equal(['id-3', 'id-4', 'id-5']);
  });

  it('refuses a cursor it did not issue', () => {
    expect(pageByKey(items, keyOf, { limit: 3, cursor: 'garbage!' }).ok).to.equal(false);
    expect(decodeCursor(encodeCursor(['a']), 2).ok).to.equal(false);
  });

  it('clamps the page size', () => {
    expect(clampLimit(undefined)).to.equal(20);
    expect(clampLimit(0)).to.equal(1);
    expect(clampLimit(1000)).to.equal(100);
  });
});
