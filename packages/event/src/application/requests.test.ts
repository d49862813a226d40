import { expect } from 'chai';
import { decodeWith, unwrap } from '@conference/kernel';
import { CreateEventBody, LinkSessionBody, ListEnrollmentsQuery, ListEventsQuery, UpdateEventBody } from './requests.js';

describe('request codecs', () => {
  const body = { title: '  Summit ', venue: 'Hall', startsAt: '2027-02-01T09:00:00Z', endsAt: '2027-02-01T17:00:00+01:00', capacity: 10 };

  it('decodes an event body into trimmed strings and Dates', () => {
    const decoded = unwrap(decodeWith(CreateEventBody, body));
    expect(decoded).to.deep.equal({ ...body, title: 'Summit', startsAt: new Date('2027-02-01T09:00:00Z'), endsAt: new Date('2027-02-01T16:00:00Z') });
  });

  it('reports unknown fields, bad values and missing fields with their paths', () => {
    const result = decodeWith(CreateEventBody, { ...body, capacity: 0, seatsTaken: 3, title: undefined });
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.issues.map((i) => i.path)).to.deep.equal(['seatsTaken']);
    const values = decodeWith(CreateEventBody, { ...body, capacity: 0, startsAt: 'tomorrow', title: 'x'.repeat(201) });
    expect(values.ok || values.error.issues.map((i) => i.path).sort()).to.deep.equal(['capacity', 'startsAt', 'title']);
  });

  it('accepts a partial update with a version, and refuses unknown fields in it', () => {
    expect(unwrap(decodeWith(UpdateEventBody, { capacity: 20, version: 3 }))).to.deep.equal({ capacity: 20, version: 3 });
    expect(decodeWith(UpdateEventBody, { status: 'published' }).ok).to.equal(false);
    expect(decodeWith(LinkSessionBody, { sessionId: 'nope' }).ok).to.equal(false);
  });

  it('decodes list query strings', () => {
    expect(unwrap(decodeWith(ListEventsQuery, { status: 'published, cancelled', limit: '5', enrolled: 'me', from: '2027-01-01T00:00:00Z' }))).to.deep.equal({
      status: ['published', 'cancelled'],
      limit: 5,
      enrolled: 'me',
      from: new Date('2027-01-01T00:00:00Z'),
    });
    expect(decodeWith(ListEventsQuery, { status: 'archived' }).ok).to.equal(false);
    expect(decodeWith(ListEventsQuery, { limit: '0' }).ok).to.equal(false);
    expect(decodeWith(ListEventsQuery, { limit: '1e3' }).ok).to.equal(false);
    expect(decodeWith(ListEventsQuery, { enrolled: 'you' }).ok).to.equal(false);
    expect(unwrap(decodeWith(ListEnrollmentsQuery, { status: 'waitlisted' }))).to.deep.equal({ status: ['waitlisted'] });
  });
});
