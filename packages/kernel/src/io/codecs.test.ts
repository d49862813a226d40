import { expect } from 'chai';
import * as t from 'io-ts';
import { Email, IsoDateTime, Uuid, boundedInt, boundedString, decodeWith, strictObject } from './codecs.js';

describe('io-ts helpers', () => {
  const Body = strictObject(
    { title: boundedString(1, 10), capacity: boundedInt(1, 100), startsAt: IsoDateTime, ids: t.array(Uuid) },
    { note: t.string },
  );

  it('decodes a valid body, trimming strings and turning dates into Dates', () => {
    const result = decodeWith(Body, { title: '  Talk ', capacity: 3, startsAt: '2026-05-01T09:00:00Z', ids: [] });
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.value.title).to.equal('Talk');
    expect(result.value.startsAt.toISOString()).to.equal('2026-05-01T09:00:00.000Z');
  });

  it('rejects unknown fields, naming them', () => {
    const result = decodeWith(Body, { title: 'a', capacity: 1, startsAt: '2026-05-01T09:00:00Z', ids: [], admin: true });
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.kind).to.equal('validation');
    expect(result.error.issues).to.deep.equal([{ path: 'admin', message: 'is not a known field' }]);
  });

  it('reports one issue per invalid field with its path', () => {
    const result = decodeWith(Body, { title: '', capacity: 0.5, startsAt: '2026-05-01', ids: ['nope'] });
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    const paths = result.error.issues.map((issue) => issue.path).sort();
    expect(paths).to.deep.equal(['capacity', 'ids[0]', 'startsAt', 'title']);
  });

  it('says a missing field is required', () => {
    const result = decodeWith(Body, { capacity: 1, startsAt: '2026-05-01T09:00:00Z', ids: [] });
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.issues).to.deep.equal([{ path: 'title', message: 'is required' }]);
  });

  it('rejects non-objects at the root', () => {
    for (const input of [null, [], 'x', 3]) {
      const result = decodeWith(Body, input);
      expect(result.ok, JSON.stringify(input)).to.equal(false);
      if (!result.ok) expect(result.error.issues[0]?.path).to.equal('$');
    }
  });

  it('accepts emails and refuses things that are not', () => {
    expect(decodeWith(Email, ' Ada@Example.org ').ok).to.equal(true);
    expect(decodeWith(Email, 'ada@').ok).to.equal(false);
    expect(decodeWith(Email, 'a\u0000da@example.org').ok).to.equal(false);
    expect(decodeWith(Email, `${'a'.repeat(250)}@x.org`).ok).to.equal(false);
  });

  it('refuses text PostgreSQL cannot store (NUL, lone surrogates)', () => {
    expect(decodeWith(boundedString(1, 10), 'a\u0000b').ok).to.equal(false);
    expect(decodeWith(boundedString(1, 10), 'a\uD800b').ok).to.equal(false);
    expect(decodeWith(boundedString(1, 10), 'a\uD83D\uDE00b').ok).to.equal(true);
  });

  it('refuses impossible dates', () => {
    expect(decodeWith(IsoDateTime, '2026-13-45T09:00:00Z').ok).to.equal(false);
  });
});
