import { expect } from 'chai';
import { decodeWith } from '@conference/kernel';
import { AddSpeakerBody, CreateSessionBody, ListSessionsQuery, UpdateSessionBody } from './requests.js';

const S1 = '00000000-0000-4000-9000-000000000001';
const S2 = '00000000-0000-4000-9000-000000000002';
const body = {
  title: '  Typed actors ',
  abstract: '',
  startsAt: '2026-05-04T10:00:00Z',
  endsAt: '2026-05-04T11:00:00+01:00',
  room: 'Room A',
  speakerIds: [S1, S2],
};

describe('request codecs', () => {
  it('decodes a session body: trimmed strings, Dates, optional eventId (absent, null or a UUID)', () => {
    const decoded = decodeWith(CreateSessionBody, body);
    expect(decoded.ok).to.equal(true);
    if (!decoded.ok) return;
    expect(decoded.value.title).to.equal('Typed actors');
    expect(decoded.value.endsAt.toISOString()).to.equal('2026-05-04T10:00:00.000Z');
    expect(decoded.value).to.not.have.property('eventId');
    expect(decodeWith(CreateSessionBody, { ...body, eventId: null }).ok).to.equal(true);
    expect(decodeWith(CreateSessionBody, { ...body, eventId: S1 }).ok).to.equal(true);
  });

  it('names every bad field, including unknown ones and repeated speakers', () => {
    const decoded = decodeWith(CreateSessionBody, { ...body, title: '', eventId: 'x', speakerIds: [S1, 'y', S1], extra: 1 });
    expect(decoded.ok).to.equal(false);
    if (decoded.ok) return;
    expect(decoded.error.issues.map((i) => i.path)).to.deep.equal(['extra']);
    const fields = decodeWith(CreateSessionBody, { ...body, title: '', eventId: 'x', speakerIds: [S1, 'y'] });
    expect(!fields.ok && fields.error.issues.map((i) => i.path).sort()).to.deep.equal(['eventId', 'speakerIds[1]', 'title']);
    const repeated = decodeWith(CreateSessionBody, { ...body, speakerIds: [S1, S2, S1] });
    expect(!repeated.ok && repeated.error.issues).to.deep.equal([{ path: 'speakerIds[2]', message: 'is listed twice' }]);
    const tooMany = decodeWith(CreateSessionBody, { ...body, speakerIds: Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`) });
    expect(!tooMany.ok && tooMany.error.issues).to.deep.equal([{ path: 'speakerIds', message: 'must have at most 20 speakers' }]);
    const missing = decodeWith(CreateSessionBody, { title: 'x' });
    expect(!missing.ok && missing.error.issues.map((i) => i.path).sort()).to.deep.equal(['abstract', 'endsAt', 'room', 'speakerIds', 'startsAt']);
  });

  it('needs a version on PATCH and refuses a change of event', () => {
    expect(decodeWith(UpdateSessionBody, { version: 3, title: 'New' }).ok).to.equal(true);
    expect(decodeWith(UpdateSessionBody, { title: 'New' }).ok).to.equal(false);
    const event = decodeWith(UpdateSessionBody, { version: 3, eventId: S1 });
    expect(!event.ok && event.error.issues).to.deep.equal([{ path: 'eventId', message: 'is not a known field' }]);
  });

  it('decodes an add-speaker body and a list query', () => {
    expect(decodeWith(AddSpeakerBody, { speakerId: S1 }).ok).to.equal(true);
    expect(decodeWith(AddSpeakerBody, { speakerId: 'x' }).ok).to.equal(false);
    const query = decodeWith(ListSessionsQuery, { eventId: S1, from: '2026-05-04T00:00:00Z', limit: '25' });
    expect(query.ok && query.value.limit).to.equal(25);
    expect(decodeWith(ListSessionsQuery, { limit: '0' }).ok).to.equal(false);
    expect(decodeWith(ListSessionsQuery, { limit: 'ten' }).ok).to.equal(false);
    expect(decodeWith(ListSessionsQuery, { q: 'x' }).ok).to.equal(false);
  });
});
