import { expect } from 'chai';
import { unwrap } from '@conference/kernel';
import { addSpeakerTo, addedSpeakers, createSession, removeSpeakerFrom, reviseSession, type SessionDraft } from './session.js';

const S1 = '00000000-0000-4000-9000-000000000001';
const S2 = '00000000-0000-4000-9000-000000000002';
const now = new Date('2026-03-01T08:00:00Z');
const draft = (overrides: Partial<SessionDraft> = {}): SessionDraft => ({
  eventId: '00000000-0000-4000-A000-000000000001',
  title: ' Talk ',
  abstract: ' Abstract ',
  startsAt: new Date('2026-05-04T10:00:00Z'),
  endsAt: new Date('2026-05-04T11:00:00Z'),
  room: ' Room A ',
  speakerIds: [S2.toUpperCase(), S1],
  ...overrides,
});
const make = (overrides: Partial<SessionDraft> = {}) => createSession({ id: '5e550000-0000-4000-8000-000000000001', ownerId: 'u1', now, ...draft(overrides) });

describe('Session', () => {
  it('is created at version 1 with trimmed texts and lowercase ids', () => {
    const session = unwrap(make());
    expect(session).to.deep.include({ title: 'Talk', abstract: 'Abstract', room: 'Room A', version: 1, eventId: '00000000-0000-4000-a000-000000000001' });
    expect(session.speakerIds).to.deep.equal([S2, S1]);
    expect(session.createdAt).to.deep.equal(now);
  });

  it('keeps its bounds: title 1..200, abstract ..5000, room 1..100, at most 20 unique UUID speakers', () => {
    expect(make({ title: 'x'.repeat(200), abstract: 'y'.repeat(5000), room: 'z'.repeat(100) }).ok).to.equal(true);
    const result = make({
      eventId: 'nope',
      title: 'x'.repeat(201),
      abstract: 'y'.repeat(5001),
      room: '',
      speakerIds: ['bad', S1, S1.toUpperCase()],
    });
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.error.code).to.equal('SESSION.INVALID');
    expect(result.error.issues.map((i) => i.path)).to.deep.equal(['eventId', 'title', 'abstract', 'room', 'speakerIds[0]', 'speakerIds[2]']);
    const many = Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`);
    expect(make({ speakerIds: many }).ok).to.equal(false);
    expect(make({ speakerIds: many.slice(0, 20) }).ok).to.equal(true);
  });

  it('refuses invalid dates', () => {
    const result = make({ startsAt: new Date('nonsense') });
    expect(!result.ok && result.error.issues).to.deep.equal([{ path: 'startsAt', message: 'must be a valid date-time' }]);
  });

  it('tells whether a revision changed anything, and bumps the version only then', () => {
    const session = unwrap(make());
    const later = new Date('2026-03-02T08:00:00Z');
    const same = unwrap(reviseSession(session, { title: '  Talk ', speakerIds: [S2, S1] }, later));
    expect(same.changed).to.equal(false);
    expect(same.session).to.equal(session);
    const moved = unwrap(reviseSession(session, { startsAt: new Date('2026-05-04T10:30:00Z'), endsAt: new Date('2026-05-04T11:30:00Z') }, later));
    expect(moved.changed).to.equal(true);
    expect(moved.session).to.deep.include({ version: 2, updatedAt: later, createdAt: now, title: 'Talk' });
    const reordered = unwrap(reviseSession(session, { speakerIds: [S1, S2] }, later));
    expect(reordered.changed).to.equal(true);
  });

  it('adds and removes speakers, refusing a repeat and an absent one', () => {
    const session = unwrap(make({ speakerIds: [S1] }));
    const added = unwrap(addSpeakerTo(session, S2.toUpperCase(), now));
    expect(added).to.deep.include({ speakerIds: [S1, S2], version: 2 });
    const again = addSpeakerTo(added, S2, now);
    expect(!again.ok && again.error.code).to.equal('SESSION.SPEAKER_ALREADY_IN_SESSION');
    expect(unwrap(removeSpeakerFrom(added, S1, now))).to.deep.include({ speakerIds: [S2], version: 3 });
    const absent = removeSpeakerFrom(session, S2, now);
    expect(!absent.ok && absent.error.code).to.equal('SESSION.SPEAKER_NOT_IN_SESSION');
  });

  it('names the speakers a change adds', () => {
    expect(addedSpeakers([S1], [S2, S1])).to.deep.equal([S2]);
    expect(addedSpeakers([S1, S2], [S1])).to.deep.equal([]);
  });
});
