import { expect } from 'chai';
import { fromTimestamp, toTimestamp } from './time.js';

describe('@grpc timestamps', () => {
  it('keeps milliseconds exactly, also before 1970', () => {
    for (const iso of ['2027-03-01T09:00:00.123Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z']) {
      const date = new Date(iso);
      expect(fromTimestamp(toTimestamp(date))?.toISOString()).to.equal(iso);
    }
    expect(toTimestamp(new Date('1969-12-31T23:59:59.999Z'))).to.deep.equal({ seconds: -1, nanos: 999_000_000 });
  });

  it('reads a missing or nonsensical timestamp as null instead of a wrong date', () => {
    expect(fromTimestamp(null)).to.equal(null);
    expect(fromTimestamp(undefined)).to.equal(null);
    expect(fromTimestamp({ seconds: 1, nanos: -1 })).to.equal(null);
    expect(fromTimestamp({ seconds: 1, nanos: 1_000_000_000 })).to.equal(null);
    expect(fromTimestamp({ seconds: 1e300, nanos: 0 })).to.equal(null);
  });

  it('refuses to send an invalid date', () => {
    expect(() => toTimestamp(new Date('nope'))).to.throw(RangeError);
  });
});
