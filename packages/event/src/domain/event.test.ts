import { expect } from 'chai';
import { unwrap } from '@conference/kernel';
import { cancelEvent, createEvent, enrollmentRefusal, publishEvent, reviseEvent, takeSeat, type EventDetails } from './event.js';

const now = new Date('2027-01-10T09:00:00Z');
const details: EventDetails = {
  title: '  TypeScript Summit  ',
  description: '',
  venue: 'Hall A',
  startsAt: new Date('2027-02-01T09:00:00Z'),
  endsAt: new Date('2027-02-01T17:00:00Z'),
  capacity: 10,
};
const id = '00000000-0000-4000-8000-000000000001';
const organizer = '00000000-0000-4000-8000-000000000900';

const issuesOf = (input: Partial<EventDetails>) => {
  const result = createEvent(id, organizer, { ...details, ...input }, now);
  return result.ok ? [] : result.error.issues.map((i) => i.path);
};

describe('Event', () => {
  it('starts as a trimmed draft with no seat taken, at version 1', () => {
    const event = unwrap(createEvent(id, organizer, details, now));
    expect(event).to.include({ title: 'TypeScript Summit', status: 'draft', seatsTaken: 0, version: 1, organizerId: organizer });
  });

  it('refuses empty or overlong text, a capacity below 1 or not whole, and reports every field', () => {
    expect(issuesOf({ title: '   ' })).to.deep.equal(['title']);
    expect(issuesOf({ title: 'x'.repeat(201) })).to.deep.equal(['title']);
    expect(issuesOf({ title: 'x'.repeat(200) })).to.deep.equal([]);
    expect(issuesOf({ description: 'x'.repeat(5001) })).to.deep.equal(['description']);
    expect(issuesOf({ venue: '' })).to.deep.equal(['venue']);
    expect(issuesOf({ capacity: 0 })).to.deep.equal(['capacity']);
    expect(issuesOf({ capacity: 2.5 })).to.deep.equal(['capacity']);
    expect(issuesOf({ title: '', venue: '', capacity: -1 })).to.deep.equal(['title', 'venue', 'capacity']);
  });

  it('must end after it starts (equal is not after) and start in the future', () => {
    expect(issuesOf({ endsAt: details.startsAt })).to.deep.equal(['endsAt']);
    expect(issuesOf({ endsAt: new Date('2027-02-01T08:00:00Z') })).to.deep.equal(['endsAt']);
    expect(issuesOf({ startsAt: now, endsAt: new Date('2027-01-10T10:00:00Z') })).to.deep.equal(['startsAt']);
    const result = createEvent(id, organizer, { ...details, capacity: 0 }, now);
    expect(result.ok || result.error).to.include({ code: 'EVENT.INVALID', kind: 'validation' });
  });

  it('lets a running event be edited without moving it, but not have its start moved into the past', () => {
    const running = { ...unwrap(createEvent(id, organizer, details, now)), status: 'published' as const };
    const later = new Date('2027-02-01T10:00:00Z');
    expect(reviseEvent(running, { description: 'Slides online' }, later).ok).to.equal(true);
    const moved = reviseEvent(running, { startsAt: new Date('2027-02-01T09:30:00Z') }, later);
    expect(moved.ok).to.equal(false);
  });

  it('never lets capacity drop below the seats taken, and bumps the version on a change', () => {
    let event = unwrap(createEvent(id, organizer, details, now));
    event = takeSeat(takeSeat(takeSeat(event)));
    const refused = reviseEvent(event, { capacity: 2 }, now);
    expect(refused.ok || refused.error).to.include({ code: 'EVENT.CAPACITY_BELOW_SEATS_TAKEN', kind: 'conflict' });
    expect(unwrap(reviseEvent(event, { capacity: 3 }, now))).to.include({ capacity: 3, version: 2 });
  });

  it('never takes a seat beyond capacity', () => {
    const event = unwrap(createEvent(id, organizer, { ...details, capacity: 1 }, now));
    expect(() => takeSeat(takeSeat(event))).to.throw(/no free seat/);
  });

  it('goes draft → published → cancelled, and no other way', () => {
    const draft = unwrap(createEvent(id, organizer, details, now));
    expect(cancelEvent(draft, now).ok).to.equal(false);
    const published = unwrap(publishEvent(draft, now));
    expect(published).to.include({ status: 'published', version: 2 });
    expect(publishEvent(published, now).ok).to.equal(false);
    const cancelled = unwrap(cancelEvent(published, now));
    expect(cancelled).to.include({ status: 'cancelled', version: 3 });
    expect(publishEvent(cancelled, now).ok).to.equal(false);
    expect(reviseEvent(cancelled, { title: 'Back' }, now).ok).to.equal(false);
  });

  it('is not published once it has started', () => {
    const draft = unwrap(createEvent(id, organizer, details, now));
    const result = publishEvent(draft, details.startsAt);
    expect(result.ok || result.error).to.include({ code: 'EVENT.ALREADY_STARTED' });
  });

  it('takes enrollments only while published and not started', () => {
    const draft = unwrap(createEvent(id, organizer, details, now));
    const published = unwrap(publishEvent(draft, now));
    expect(enrollmentRefusal(null, now)).to.equal('ENROLLMENT.EVENT_NOT_FOUND');
    expect(enrollmentRefusal(draft, now)).to.equal('ENROLLMENT.EVENT_NOT_PUBLISHED');
    expect(enrollmentRefusal(published, now)).to.equal(null);
    expect(enrollmentRefusal(published, details.startsAt)).to.equal('ENROLLMENT.EVENT_STARTED');
    expect(enrollmentRefusal(unwrap(cancelEvent(published, now)), now)).to.equal('ENROLLMENT.EVENT_CANCELLED');
  });
});
