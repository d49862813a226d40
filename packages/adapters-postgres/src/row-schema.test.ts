import { expect } from 'chai';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { DbDate, compileDecoder, dbNullable, rowSchema } from './row-schema.js';

/** Like a json column's timestamptz: text in, a Date out (a transforming codec). */
const TextDate = new t.Type<Date, string, unknown>(
  'TextDate',
  (u): u is Date => u instanceof Date,
  (u, c) => (typeof u === 'string' && !Number.isNaN(Date.parse(u)) ? t.success(new Date(u)) : t.failure(u, c, 'must be a date as text')),
  (date) => date.toISOString(),
);

const Item = t.type({ at: TextDate, label: t.string });
const Row = t.type({
  id: t.string,
  count: t.number,
  flag: t.boolean,
  note: dbNullable(t.string),
  status: t.keyof({ draft: null, published: null }),
  kind: t.literal('event'),
  positive: t.refinement(t.number, (n) => n > 0, 'Positive'),
  created_at: DbDate,
  items: t.array(Item),
  tags: t.readonlyArray(t.string),
  extra: t.unknown,
});

const validRow = () => ({
  id: 'e-1', count: 3, flag: true, note: null, status: 'draft', kind: 'event', positive: 2,
  created_at: new Date('2026-01-01T00:00:00Z'), items: [{ at: '2026-01-02T10:00:00+00:00', label: 'a' }], tags: ['x'], extra: { any: 1 },
});

const FAILED_SAMPLES: Record<string, unknown>[] = [
  { id: 1 },
  { count: '3' },
  { flag: 'yes' },
  { note: 5 },
  { status: 'cancelled' },
  { status: 'toString' },
  { kind: 'session' },
  { positive: 0 },
  { created_at: new Date(Number.NaN) },
  { created_at: '2026-01-01' },
  { items: [{ at: 'not a date', label: 'a' }] },
  { items: [{ at: '2026-01-02T10:00:00Z' }] },
  { items: 'none' },
  { tags: [1] },
];

describe('rowSchema', () => {
  it('decodes a row as io-ts does: the same value where nothing changes, a copy with the decoded fields where something does', () => {
    const row = validRow();
    const fast = compileDecoder(Row)(row) as t.TypeOf<typeof Row>;
    const slow = Row.decode(row);
    if (isLeft(slow)) throw new Error('the sample row should decode');
    expect(fast).to.deep.equal(slow.right);
    expect(fast).not.to.equal(row);
    expect(fast.items[0]!.at).to.be.instanceOf(Date);
    expect(fast.tags).to.equal(row.tags);
    expect(row.items[0]!.at).to.be.a('string');

    const untouched = { id: 'e-2', count: 1 };
    expect(compileDecoder(t.type({ id: t.string, count: t.number }))(untouched)).to.equal(untouched);
  });

  it('refuses what io-ts refuses, and reports io-ts\'s issues through the Standard Schema', () => {
    const schema = rowSchema(Row);
    for (const change of FAILED_SAMPLES) {
      const row = { ...validRow(), ...change };
      expect(isLeft(Row.decode(row)), JSON.stringify(change)).to.equal(true);
      const result = schema['~standard'].validate(row) as { issues?: readonly { message: string }[] };
      expect(result.issues ?? [], JSON.stringify(change)).to.have.length.above(0);
    }
    const missing = validRow() as Partial<ReturnType<typeof validRow>>;
    delete missing.count;
    expect((schema['~standard'].validate(missing) as { issues?: readonly { message: string }[] }).issues?.[0]?.message).to.match(/^count: /);
  });

  it('answers the decoded value through the Standard Schema', () => {
    const result = rowSchema(Row)['~standard'].validate(validRow()) as { value?: t.TypeOf<typeof Row> };
    expect(result.value?.items[0]?.at.toISOString()).to.equal('2026-01-02T10:00:00.000Z');
  });
});
