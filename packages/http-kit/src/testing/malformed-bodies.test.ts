import { expect } from 'chai';
import { malformedBodies } from './malformed-bodies.js';

const SAMPLE = { title: 'A talk', capacity: 10, speakerIds: ['5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11'], online: false };

describe('malformedBodies', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const render = (seed: number) => malformedBodies(seed, 60, { sample: SAMPLE }).map((b) => `${b.name}:${b.body.toString('base64')}`);
    expect(render(7)).to.deep.equal(render(7));
    expect(render(7)).not.to.deep.equal(render(8));
  });

  it('covers every kind once within the first batch: each field with a wrong type and missing, roots, nesting, size, encoding, JSON text', () => {
    const names = malformedBodies(1, 35, { sample: SAMPLE }).map((b) => b.name);
    for (const field of Object.keys(SAMPLE)) {
      expect(names.some((n) => n.startsWith(`wrong type for ${field} `)), field).to.equal(true);
      expect(names, field).to.include(`${field} missing`);
    }
    for (const expected of ['an extra field', 'null at the root', 'an array at the root', 'a string at the root', 'a number at the root', '10,000 nested arrays', 'invalid UTF-8 in a string', 'a raw NUL byte in a string']) {
      expect(names).to.include(expected);
    }
    expect(names.some((n) => n.startsWith('invalid JSON: '))).to.equal(true);
    expect(names.some((n) => n.startsWith('JSON truncated at '))).to.equal(true);
    expect(names.some((n) => n.includes('beyond the 65536-byte limit'))).to.equal(true);
    expect(names.some((n) => n.includes('just under the 65536-byte limit'))).to.equal(true);
  });

  it('sizes the limit cases around the given limit', () => {
    const bodies = malformedBodies(3, 200, { sample: SAMPLE, limitBytes: 1000 });
    const beyond = bodies.find((b) => b.name.includes('beyond'))!;
    const under = bodies.find((b) => b.name.includes('just under'))!;
    expect(beyond.body.length).to.be.above(1000);
    expect(beyond.expectedStatus).to.equal(413);
    expect(under.body.length).to.be.at.most(1000).and.above(990);
  });

  it('puts the wrong type where it says, keeping the other fields valid', () => {
    for (const body of malformedBodies(11, 100, { sample: SAMPLE }).filter((b) => b.name.startsWith('wrong type for capacity'))) {
      const parsed = JSON.parse(body.body.toString()) as Record<string, unknown>;
      expect(typeof parsed['capacity']).not.to.equal('number');
      expect(parsed['title']).to.equal('A talk');
    }
  });
});
