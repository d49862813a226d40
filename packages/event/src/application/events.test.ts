import { expect } from 'chai';
import { unwrap, type DomainError, type Result } from '@conference/kernel';
import { UseCaseKit } from '../testing/use-case-kit.js';
import { uuid } from '../testing/contract-support.js';

const failure = <T>(result: Result<T, DomainError>): DomainError => {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
};

describe('Event use cases', () => {
  let kit: UseCaseKit;
  beforeEach(() => {
    kit = new UseCaseKit();
  });

  describe('CreateEvent', () => {
    it('creates a draft owned by the organizer, in the shape of DESIGN §3', async () => {
      const event = await kit.draft({ capacity: 3 });
      expect(event).to.deep.equal({
        id: '00000000-0000-4000-a000-000000000001',
        organizerId: kit.organizer.userId,
        title: 'TypeScript Summit',
        description: 'Talks and workshops',
        venue: 'Congress Centre',
        startsAt: '2027-01-17T09:00:00.000Z',
        endsAt: '2027-01-17T18:00:00.000Z',
        capacity: 3,
        status: 'draft',
        seatsTaken: 0,
        seatsLeft: 3,
        createdAt: '2027-01-10T09:00:00.000Z',
        updatedAt: '2027-01-10T09:00:00.000Z',
        version: 1,
      });
    });

    it('lets only organizers and admins create events', async () => {
      const input = { title: 'T', venue: 'V', startsAt: new Date('2027-02-01T09:00:00Z'), endsAt: new Date('2027-02-01T10:00:00Z'), capacity: 1 };
      expect(failure(await kit.createEvent.execute({ ...input, actor: kit.attendee(1) }))).to.include({ code: 'EVENT.ORGANIZER_ROLE_REQUIRED', kind: 'forbidden' });
      expect(unwrap(await kit.createEvent.execute({ ...input, actor: kit.admin })).organizerId).to.equal(kit.admin.userId);
      expect(kit.store.state.events.size).to.equal(1);
    });

    it('stores nothing for an invalid event', async () => {
      const error = failure(
        await kit.createEvent.execute({ actor: kit.organizer, title: 'T', venue: 'V', startsAt: new Date('2027-02-01T09:00:00Z'), endsAt: new Date('2027-02-01T09:00:00Z'), capacity: 0 }),
      );
      expect(error.issues.map((i) => i.path)).to.deep.equal(['capacity', 'endsAt']);
      expect(kit.store.state.events.size).to.equal(0);
    });
  });

  describe('UpdateEvent', () => {
    it('lets the owner and admins change an event, bumping its version', async () => {
      const event = await kit.published();
      const byOwner = unwrap(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, expectedVersion: 2, changes: { title: 'Renamed' } }));
      expect(byOwner).to.include({ title: 'Renamed', version: 3 });
      const byAdmin = unwrap(await kit.updateEvent.execute({ actor: kit.admin, eventId: event.id, changes: { venue: 'Hall B' } }));
      expect(byAdmin).to.include({ venue: 'Hall B', version: 4 });
    });

    it("refuses another organizer's event: 403 once published, 404 while a draft", async () => {
      const published = await kit.published();
      const draft = await kit.draft();
      expect(failure(await kit.updateEvent.execute({ actor: kit.otherOrganizer, eventId: published.id, changes: { title: 'Mine now' } }))).to.include({
        code: 'EVENT.FORBIDDEN',
        kind: 'forbidden',
      });
      expect(failure(await kit.updateEvent.execute({ actor: kit.otherOrganizer, eventId: draft.id, changes: { title: 'Mine now' } }))).to.include({
        code: 'EVENT.NOT_FOUND',
      });
      expect(kit.stored(published.id).title).to.equal('TypeScript Summit');
    });

    it('refuses a change based on a stale version', async () => {
      const event = await kit.published();
      unwrap(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, expectedVersion: 2, changes: { title: 'First' } }));
      const stale = failure(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, expectedVersion: 2, changes: { title: 'Second' } }));
      expect(stale).to.include({ code: 'EVENT.STALE_VERSION', kind: 'conflict' });
      expect(kit.stored(event.id).title).to.equal('First');
    });

    it('keeps the version when nothing actually changes', async () => {
      const event = await kit.published();
      const same = unwrap(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, changes: { title: ' TypeScript Summit ', capacity: 50 } }));
      expect(same).to.deep.equal(event);
    });

    it('is not made stale by enrollments: seats change without a version bump', async () => {
      const event = await kit.published({ capacity: 5 });
      await kit.enroll(1, event.id);
      const updated = unwrap(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, expectedVersion: event.version, changes: { title: 'Ok' } }));
      expect(updated).to.include({ seatsTaken: 1, version: event.version + 1 });
    });

    it('refuses a capacity below the seats taken', async () => {
      const event = await kit.published({ capacity: 3 });
      for (const n of [1, 2, 3]) await kit.enroll(n, event.id);
      const error = failure(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, changes: { capacity: 2 } }));
      expect(error).to.include({ code: 'EVENT.CAPACITY_BELOW_SEATS_TAKEN', kind: 'conflict' });
      expect(kit.stored(event.id).capacity).to.equal(3);
    });

    it('gives new seats to the waitlist, first come first served, when capacity is raised', async () => {
      const event = await kit.published({ capacity: 1 });
      for (const n of [1, 2, 3, 4]) await kit.enroll(n, event.id);
      const updated = unwrap(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, changes: { capacity: 3 } }));
      expect(updated).to.include({ capacity: 3, seatsTaken: 3, seatsLeft: 0 });
      expect(kit.sent('enrollment.promoted').map((m) => m.userId)).to.deep.equal([uuid(102), uuid(103)]);
      expect(kit.usersIn(event.id, 'waitlisted')).to.deep.equal([uuid(104)]);
      expect(unwrap(await kit.getMyEnrollment.execute({ actor: kit.attendee(4), eventId: event.id })).position).to.equal(1);
    });

    it('treats a cancelled event as read-only', async () => {
      const event = await kit.published();
      unwrap(await kit.cancelEvent.execute({ actor: kit.organizer, eventId: event.id }));
      expect(failure(await kit.updateEvent.execute({ actor: kit.organizer, eventId: event.id, changes: { title: 'Back' } }))).to.include({
        code: 'EVENT.CANCELLED',
      });
    });
  });

  describe('PublishEvent', () => {
    it('publishes a draft once, with event.published', async () => {
      const draft = await kit.draft();
      const published = unwrap(await kit.publishEvent.execute({ actor: kit.organizer, eventId: draft.id, expectedVersion: 1 }));
      expect(published).to.include({ status: 'published', version: 2 });
      expect(unwrap(await kit.publishEvent.execute({ actor: kit.organizer, eventId: draft.id }))).to.deep.equal(published);
      expect(kit.sent('event.published')).to.deep.equal([
        { eventId: draft.id, title: 'TypeScript Summit', organizerId: kit.organizer.userId, startsAt: draft.startsAt, endsAt: draft.endsAt },
      ]);
    });

    it('does not publish a cancelled event, nor one whose start has passed', async () => {
      const event = await kit.published();
      unwrap(await kit.cancelEvent.execute({ actor: kit.organizer, eventId: event.id }));
      expect(failure(await kit.publishEvent.execute({ actor: kit.organizer, eventId: event.id }))).to.include({ code: 'EVENT.INVALID_TRANSITION' });
      const late = await kit.draft();
      kit.clock.set(late.startsAt);
      expect(failure(await kit.publishEvent.execute({ actor: kit.organizer, eventId: late.id }))).to.include({ code: 'EVENT.ALREADY_STARTED' });
    });
  });

  describe('CancelEvent', () => {
    it('tells every enrolled and waitlisted attendee, and nobody else', async () => {
      const event = await kit.published({ capacity: 2 });
      for (const n of [1, 2, 3, 4]) await kit.enroll(n, event.id);
      await kit.unenroll(4, event.id);
      const cancelled = unwrap(await kit.cancelEvent.execute({ actor: kit.organizer, eventId: event.id }));
      expect(cancelled.status).to.equal('cancelled');
      const [message, ...others] = kit.sent('event.cancelled');
      expect(others).to.deep.equal([]);
      expect(message).to.deep.include({ eventId: event.id, title: 'TypeScript Summit', startsAt: event.startsAt });
      expect(message!.attendees.map((a) => a.userId).sort()).to.deep.equal([uuid(101), uuid(102), uuid(103)]);
      expect(message!.attendees.find((a) => a.userId === uuid(103))).to.deep.equal({ userId: uuid(103), email: 'user3@example.org', name: 'User 3' });
    });

    it('sends nothing more when cancelled twice, and refuses to cancel a draft', async () => {
      const event = await kit.published();
      unwrap(await kit.cancelEvent.execute({ actor: kit.organizer, eventId: event.id }));
      unwrap(await kit.cancelEvent.execute({ actor: kit.organizer, eventId: event.id }));
      expect(kit.sent('event.cancelled')).to.have.length(1);
      const draft = await kit.draft();
      expect(failure(await kit.cancelEvent.execute({ actor: kit.organizer, eventId: draft.id }))).to.include({ code: 'EVENT.INVALID_TRANSITION' });
    });

    it("lets no one else cancel an organizer's event", async () => {
      const event = await kit.published();
      expect(failure(await kit.cancelEvent.execute({ actor: kit.attendee(1), eventId: event.id }))).to.include({ code: 'EVENT.FORBIDDEN' });
      expect(kit.stored(event.id).status).to.equal('published');
    });
  });

  describe('DeleteEvent', () => {
    it('deletes a draft with its programme', async () => {
      const draft = await kit.draft();
      kit.directory.put({ sessionId: uuid(500), eventId: null, title: 'Talk', startsAt: new Date('2027-01-17T10:00:00Z'), endsAt: new Date('2027-01-17T11:00:00Z'), room: 'R1', version: 1 });
      unwrap(await kit.linkSession.execute({ actor: kit.organizer, eventId: draft.id, sessionId: uuid(500) }));
      unwrap(await kit.deleteEvent.execute({ actor: kit.organizer, eventId: draft.id }));
      expect(kit.store.state.events.size).to.equal(0);
      expect(kit.store.state.programme.size).to.equal(0);
    });

    it('deletes only drafts, and only the owner’s or as admin', async () => {
      const published = await kit.published();
      expect(failure(await kit.deleteEvent.execute({ actor: kit.organizer, eventId: published.id }))).to.include({ code: 'EVENT.NOT_DRAFT', kind: 'conflict' });
      const draft = await kit.draft();
      expect(failure(await kit.deleteEvent.execute({ actor: kit.otherOrganizer, eventId: draft.id }))).to.include({ code: 'EVENT.NOT_FOUND' });
      expect(failure(await kit.deleteEvent.execute({ actor: kit.organizer, eventId: draft.id, expectedVersion: 7 }))).to.include({ code: 'EVENT.STALE_VERSION' });
      unwrap(await kit.deleteEvent.execute({ actor: kit.admin, eventId: draft.id }));
      expect([...kit.store.state.events.keys()]).to.deep.equal([published.id]);
    });
  });

  describe('GetEvent', () => {
    it('shows seats taken and left, the waitlist length and the schedule', async () => {
      const event = await kit.published({ capacity: 2 });
      for (const n of [1, 2, 3]) await kit.enroll(n, event.id);
      const detail = unwrap(await kit.getEvent.execute({ actor: null, eventId: event.id }));
      expect(detail).to.include({ seatsTaken: 2, seatsLeft: 0, waitlisted: 1 });
      expect(detail.schedule).to.deep.equal([]);
    });

    it('shows a draft only to its organizer and admins; 404 for everyone else', async () => {
      const draft = await kit.draft();
      for (const actor of [null, kit.attendee(1), kit.otherOrganizer]) {
        expect(failure(await kit.getEvent.execute({ actor, eventId: draft.id }))).to.include({ code: 'EVENT.NOT_FOUND', kind: 'not_found' });
      }
      for (const actor of [kit.organizer, kit.admin]) expect((await kit.getEvent.execute({ actor, eventId: draft.id })).ok).to.equal(true);
      expect(failure(await kit.getEvent.execute({ actor: kit.admin, eventId: 'nope' }))).to.include({ code: 'EVENT.NOT_FOUND' });
    });
  });

  describe('ListEvents', () => {
    const titles = (page: { items: readonly { title: string }[] }) => page.items.map((e) => e.title);

    it('shows non-admins published and cancelled events and their own drafts; admins everything', async () => {
      await kit.draft({ title: 'My draft', startsAt: new Date('2027-01-11T09:00:00Z'), endsAt: new Date('2027-01-11T10:00:00Z') });
      await kit.draft({ title: 'Their draft', actor: kit.otherOrganizer, startsAt: new Date('2027-01-12T09:00:00Z'), endsAt: new Date('2027-01-12T10:00:00Z') });
      await kit.published({ title: 'Open', startsAt: new Date('2027-01-13T09:00:00Z'), endsAt: new Date('2027-01-13T10:00:00Z') });
      const off = await kit.published({ title: 'Off', startsAt: new Date('2027-01-14T09:00:00Z'), endsAt: new Date('2027-01-14T10:00:00Z') });
      unwrap(await kit.cancelEvent.execute({ actor: kit.organizer, eventId: off.id }));

      expect(titles(unwrap(await kit.listEvents.execute({ actor: null })))).to.deep.equal(['Open', 'Off']);
      expect(titles(unwrap(await kit.listEvents.execute({ actor: kit.organizer })))).to.deep.equal(['My draft', 'Open', 'Off']);
      expect(titles(unwrap(await kit.listEvents.execute({ actor: kit.admin })))).to.deep.equal(['My draft', 'Their draft', 'Open', 'Off']);
      expect(titles(unwrap(await kit.listEvents.execute({ actor: kit.otherOrganizer, statuses: ['draft'] })))).to.deep.equal(['Their draft']);
    });

    it('filters by time, title and enrolled=me, and pages with a cursor', async () => {
      const days = [11, 12, 13, 14, 15];
      const events = [];
      for (const day of days) {
        events.push(await kit.published({ title: `Day ${day} meetup`, startsAt: new Date(`2027-01-${day}T09:00:00Z`), endsAt: new Date(`2027-01-${day}T17:00:00Z`) }));
      }
      await kit.enroll(1, events[1]!.id);
      await kit.enroll(1, events[3]!.id);

      const window = unwrap(await kit.listEvents.execute({ actor: null, from: new Date('2027-01-12T12:00:00Z'), to: new Date('2027-01-14T09:00:00Z') }));
      expect(titles(window)).to.deep.equal(['Day 12 meetup', 'Day 13 meetup']);
      expect(titles(unwrap(await kit.listEvents.execute({ actor: null, q: 'DAY 15' })))).to.deep.equal(['Day 15 meetup']);
      expect(titles(unwrap(await kit.listEvents.execute({ actor: kit.attendee(1), enrolled: 'me' })))).to.deep.equal(['Day 12 meetup', 'Day 14 meetup']);
      expect(failure(await kit.listEvents.execute({ actor: null, enrolled: 'me' }))).to.include({ code: 'EVENT.AUTHENTICATION_REQUIRED', kind: 'unauthorized' });

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof kit.listEvents.execute>> = await kit.listEvents.execute({ actor: null, limit: 2, cursor });
        const value = unwrap(page);
        seen.push(...titles(value));
        cursor = value.nextCursor;
      } while (cursor);
      expect(seen).to.deep.equal(days.map((d) => `Day ${d} meetup`));
      expect(failure(await kit.listEvents.execute({ actor: null, cursor: 'garbage' }))).to.include({ code: 'PAGINATION.INVALID_CURSOR' });
    });
  });
});
