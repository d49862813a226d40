import { expect } from 'chai';
import { decodeMessage } from './decode.js';

const envelope = (type: string, data: unknown) => ({
  id: '7d4f1b7e-1f7e-4c2a-9a56-0f2d4f0b1c11',
  type,
  version: 1,
  occurredAt: '2026-01-01T09:00:00.000Z',
  source: 'user-service',
  correlationId: 'req-1',
  causationId: null,
  data,
});

describe('message contracts', () => {
  const enrolled = { userId: 'u1', eventId: 'e1', email: 'a@b.org', name: 'Ada', requestedAt: '2026-01-01T09:00:00.000Z' };

  it('accepts a valid message and drops unknown payload fields (tolerant reader)', () => {
    const result = decodeMessage(envelope('user.enrolled', { ...enrolled, extra: 1 }));
    expect(result.ok).to.equal(true);
    if (result.ok) expect(result.value.data).to.deep.equal(enrolled);
  });

  it('refuses an unknown type, a broken envelope and a broken payload', () => {
    const unknownType = decodeMessage(envelope('user.teleported', {}));
    const broken = decodeMessage({ id: 1 });
    const badData = decodeMessage(envelope('user.enrolled', { userId: 'u1' }));
    expect([unknownType, broken, badData].map((r) => (r.ok ? 'ok' : r.error.code))).to.deep.equal([
      'MESSAGE.UNKNOWN_TYPE',
      'MESSAGE.MALFORMED_ENVELOPE',
      'MESSAGE.MALFORMED_DATA',
    ]);
  });

  it('refuses JSON that is not an object at all', () => {
    for (const raw of [null, 'text', 42, []]) expect(decodeMessage(raw).ok).to.equal(false);
  });
});
