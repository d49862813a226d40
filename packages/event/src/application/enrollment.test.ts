import { expect } from 'chai';
import { unwrap } from '@conference/kernel';
import { UseCaseKit } from '../testing/use-case-kit.js';
import { uuid } from '../testing/contract-support.js';

describe('Enrollment', () => {
  let kit: UseCaseKit;
  beforeEach(() => {
    kit = new UseCaseKit();
  });

  /** seatsTaken on the event row always equals the number of enrolled users, and never exceeds capacity. */
  const expectConsistentSeats = (eventId: string) => {
    const event = kit.stored(eventId);
    expect(event.seatsTaken).to.equal(kit.usersIn(eventId, 'enrolled').length);
    expect(event.seatsTaken).to.be.at.most(event.capacity);
  };

  describe('RecordEnrollmentRequest', () => {
    it('gives a free seat and publishes enrollment.confirmed with the contact', async () => {
      const event = await kit.published({ capacity: 2 });
      const result = unwrap(await kit.enroll(1, event.id));
      expect(result).to.deep.include({ duplicate: false, outcome: 'enrolled' });
      expect(kit.sent('enrollment.confirmed')).to.deep.equal([
        {
          eventId: event.id,
          eventTitle: 'TypeScript Summit',
          userId: uuid(101),
          email: 'user1@example.org',
          name: 'User 1',
          status: 'enrolled',
          position: null,
          reason: null,
        },
      ]);
      expect(kit.stored(event.id).seatsTaken).to.equal(1);
      expect(kit.stored(event.id).version).to.equal(event.version);
    });

    it('waitlists when the event is full, with the place in the queue', async () => {
      const event = await kit.published({ capacity: 1 });
      await kit.enroll(1, event.id);
      const second = unwrap(await kit.enroll(2, event.id));
      const third = unwrap(await kit.enroll(3, event.id));
      expect(second).to.deep.include({ outcome: 'waitlisted' });
      expect(second.duplicate === false && second.enrollment).to.include({ status: 'waitlisted', position: 1 });
      expect(third.duplicate === false && third.enrollment).to.include({ position: 2 });
      expect(kit.sent('enrollment.waitlisted').map((m) => [m.userId, m.position])).to.deep.equal([
        [uuid(102), 1],
        [uuid(103), 2],
      ]);
      expect(kit.stored(event.id).seatsTaken).to.equal(1);
    });

    it('changes nothing and sends nothing when the user is already enrolled or waitlisted', async () => {
      const event = await kit.published({ capacity: 1 });
      await kit.enroll(1, event.id);
      await kit.enroll(2, event.id);
      const before = kit.store.outbox().length;
      expect(unwrap(await kit.enroll(1, event.id))).to.deep.include({ outcome: 'unchanged' });
      const again = unwrap(await kit.enroll(2, event.id));
      expect(again.duplicate === false && again.enrollment).to.include({ status: 'waitlisted', position: 1 });
      expect(kit.store.outbox()).to.have.length(before);
      expect(kit.stored(event.id).seatsTaken).to.equal(1);
      expect(kit.usersIn(event.id, 'waitlisted')).to.deep.equal([uuid(102)]);
    });

    it('ignores the same message delivered twice', async () => {
      const event = await kit.published({ capacity: 5 });
      const first = unwrap(await kit.enroll(1, event.id, { messageId: uuid(7777) }));
      await kit.unenroll(1, event.id, { requestedAt: new Date(Date.parse(kit.clock.now().toISOString()) + 1).toISOString() });
      const before = structuredClone(kit.store.state);
      const second = unwrap(await kit.enroll(1, event.id, { messageId: uuid(7777) }));
      expect(first.duplicate).to.equal(false);
      expect(second).to.deep.equal({ duplicate: true });
      expect(kit.store.state).to.deep.equal(before);
    });

    for (const [situation, reason, prepare] of [
      ['a draft', 'ENROLLMENT.EVENT_NOT_PUBLISHED', (k: UseCaseKit) => k.draft()],
      [
        'a cancelled event',
        'ENROLLMENT.EVENT_CANCELLED',
        async (k: UseCaseKit) => {
          const e = await k.published();
          return unwrap(await k.cancelEvent.execute({ actor: k.organizer, eventId: e.id }));
        },
      ],
      [
        'an event that has started',
        'ENROLLMENT.EVENT_STARTED',
        async (k: UseCaseKit) => {
          const e = await k.published();
          k.clock.set(e.startsAt);
          return e;
        },
      ],
    ] as const) {
      it(`rejects a request for ${situation} with ${reason}`, async () => {
        const event = await prepare(kit);
        const result = unwrap(await kit.enroll(1, event.id));
        expect(result).to.deep.include({ outcome: 'rejected' });
        expect(kit.sent('enrollment.rejected')).to.deep.equal([
          {
            eventId: event.id,
            eventTitle: event.title,
            userId: uuid(101),
            email: 'user1@example.org',
            name: 'User 1',
            status: 'rejected',
            position: null,
            reason,
          },
        ]);
        expect(kit.sent('enrollment.confirmed')).to.deep.equal([]);
        expect(kit.stored(event.id).seatsTaken).to.equal(0);
        const kept = await kit.store.uow.run(({ enrollments }) => enrollments.find(event.id, uuid(101)));
        expect(kept).to.include({ status: 'rejected', reason });
      });
    }

    it('rejects a request for an unknown event without keeping it', async () => {
      for (const eventId of [uuid(4242), 'not-a-uuid']) {
        const result = unwrap(await kit.enroll(1, eventId));
        expect(result).to.deep.include({ outcome: 'rejected' });
      }
      expect(kit.sent('enrollment.rejected').map((m) => [m.eventId, m.reason, m.eventTitle])).to.deep.equal([
        [uuid(4242), 'ENROLLMENT.EVENT_NOT_FOUND', ''],
        ['not-a-uuid', 'ENROLLMENT.EVENT_NOT_FOUND', ''],
      ]);
      expect(kit.store.state.enrollments.size).to.equal(0);
    });

    it('lets a rejected or cancelled user enroll again', async () => {
      const event = await kit.draft();
      await kit.enroll(1, event.id);
      unwrap(await kit.publishEvent.execute({ actor: kit.organizer, eventId: event.id }));
      kit.clock.advance(1000);
      expect(unwrap(await kit.enroll(1, event.id))).to.deep.include({ outcome: 'enrolled' });
      kit.clock.advance(1000);
      await kit.unenroll(1, event.id);
      kit.clock.advance(1000);
      expect(unwrap(await kit.enroll(1, event.id))).to.deep.include({ outcome: 'enrolled' });
      expect(kit.stored(event.id).seatsTaken).to.equal(1);
    });

    it('serves the waitlist before a newcomer when a seat is free while someone waits', async () => {
      const event = await kit.published({ capacity: 1 });
      await kit.enroll(1, event.id);
      await kit.enroll(2, event.id);
      // A seat freed by a path that did not promote (e.g. capacity fixed by hand in the database).
      kit.store.state.events.set(event.id, { ...kit.stored(event.id), capacity: 2 });
      const newcomer = unwrap(await kit.enroll(3, event.id));
      expect(newcomer).to.deep.include({ outcome: 'waitlisted' });
      expect(kit.sent('enrollment.promoted').map((m) => m.userId)).to.deep.equal([uuid(102)]);
      expectConsistentSeats(event.id);
    });

    it('never exceeds capacity when 200 requests for 50 seats arrive at once', async () => {
      const event = await kit.published({ capacity: 50 });
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => kit.enroll(i + 1, event.id)));
      const outcomes = results.map((r) => {
        const value = unwrap(r);
        return value.duplicate ? 'duplicate' : value.outcome;
      });
      expect(outcomes.filter((o) => o === 'enrolled')).to.have.length(50);
      expect(outcomes.filter((o) => o === 'waitlisted')).to.have.length(150);
      expect(kit.stored(event.id).seatsTaken).to.equal(50);
      expect(kit.usersIn(event.id, 'enrolled')).to.have.length(50);
      expect(kit.sent('enrollment.confirmed')).to.have.length(50);
      const positions = kit.sent('enrollment.waitlisted').map((m) => m.position);
      expect(positions).to.deep.equal(Array.from({ length: 150 }, (_, i) => i + 1));
      expectConsistentSeats(event.id);
    });

    it('refuses a malformed message without recording it, so it can go to the dead letters', async () => {
      const event = await kit.published();
      const bad = await kit.recordEnrollment.execute({
        messageId: uuid(1),
        data: { userId: uuid(101), eventId: event.id, email: 'a@example.org', name: 'A', requestedAt: 'yesterday' },
      });
      expect(bad.ok || bad.error).to.include({ code: 'ENROLLMENT.MALFORMED_MESSAGE', kind: 'validation' });
      expect(kit.store.state.inbox.size).to.equal(0);
    });
  });

  describe('RecordUnenrollment', () => {
    it('frees the seat and promotes the first waitlisted user; everyone behind moves up', async () => {
      const event = await kit.published({ capacity: 2 });
      for (const n of [1, 2, 3, 4, 5]) await kit.enroll(n, event.id);
      const result = unwrap(await kit.unenroll(1, event.id));
      expect(result).to.deep.equal({ duplicate: false, outcome: 'cancelled', promotedUserIds: [uuid(103)] });
      expect(kit.sent('enrollment.cancelled').map((m) => [m.userId, m.status])).to.deep.equal([[uuid(101), 'cancelled']]);
      expect(kit.sent('enrollment.promoted')).to.deep.equal([
        {
          eventId: event.id,
          eventTitle: 'TypeScript Summit',
          userId: uuid(103),
          email: 'user3@example.org',
          name: 'User 3',
          status: 'enrolled',
          position: null,
          reason: null,
        },
      ]);
      const position = async (n: number) => unwrap(await kit.getMyEnrollment.execute({ actor: kit.attendee(n), eventId: event.id })).position;
      expect([await position(4), await position(5)]).to.deep.equal([1, 2]);
      expectConsistentSeats(event.id);

      await kit.unenroll(2, event.id);
      expect(kit.sent('enrollment.promoted').map((m) => m.userId)).to.deep.equal([uuid(103), uuid(104)]);
      expect(await position(5)).to.equal(1);
      expectConsistentSeats(event.id);
    });

    it('takes a waitlisted user out of the queue without touching the seats', async () => {
      const event = await kit.published({ capacity: 1 });
      for (const n of [1, 2, 3]) await kit.enroll(n, event.id);
      const result = unwrap(await kit.unenroll(2, event.id));
      expect(result).to.deep.equal({ duplicate: false, outcome: 'cancelled', promotedUserIds: [] });
      expect(kit.sent('enrollment.promoted')).to.deep.equal([]);
      expect(unwrap(await kit.getMyEnrollment.execute({ actor: kit.attendee(3), eventId: event.id })).position).to.equal(1);
      expectConsistentSeats(event.id);
    });

    it('does nothing, and sends nothing, for a user with no place', async () => {
      const event = await kit.published({ capacity: 1 });
      const before = kit.store.outbox().length;
      expect(unwrap(await kit.unenroll(1, event.id))).to.deep.include({ outcome: 'unchanged' });
      expect(unwrap(await kit.unenroll(2, uuid(4242)))).to.deep.include({ outcome: 'unchanged' });
      expect(kit.store.outbox()).to.have.length(before);
      expect(kit.stored(event.id).seatsTaken).to.equal(0);
    });

    it('ignores an enrollment that arrives after a later unenrollment (out of order)', async () => {
      const event = await kit.published({ capacity: 1 });
      await kit.unenroll(1, event.id, { requestedAt: '2027-01-10T08:00:02.000Z' });
      const late = unwrap(await kit.enroll(1, event.id, { requestedAt: '2027-01-10T08:00:01.000Z' }));
      expect(late).to.deep.include({ outcome: 'out_of_order' });
      expect(kit.stored(event.id).seatsTaken).to.equal(0);
      expect(kit.store.outbox().filter((m) => m.envelope.type.startsWith('enrollment.'))).to.deep.equal([]);
      // A newer request still counts.
      expect(unwrap(await kit.enroll(1, event.id, { requestedAt: '2027-01-10T08:00:03.000Z' }))).to.deep.include({ outcome: 'enrolled' });
    });

    it('ignores an unenrollment older than the enrollment it would undo', async () => {
      const event = await kit.published({ capacity: 1 });
      await kit.enroll(1, event.id, { requestedAt: '2027-01-10T08:00:03.000Z' });
      const late = unwrap(await kit.unenroll(1, event.id, { requestedAt: '2027-01-10T08:00:02.000Z' }));
      expect(late).to.deep.include({ outcome: 'out_of_order' });
      expect(kit.usersIn(event.id, 'enrolled')).to.deep.equal([uuid(101)]);
      expect(kit.sent('enrollment.cancelled')).to.deep.equal([]);
    });

    it('does not promote into a seat freed after the event has started', async () => {
      const event = await kit.published({ capacity: 1 });
      await kit.enroll(1, event.id);
      await kit.enroll(2, event.id);
      kit.clock.set(event.startsAt);
      const result = unwrap(await kit.unenroll(1, event.id));
      expect(result).to.deep.include({ outcome: 'cancelled', promotedUserIds: [] });
      expect(kit.stored(event.id).seatsTaken).to.equal(0);
    });

    it('ignores the same message delivered twice', async () => {
      const event = await kit.published({ capacity: 1 });
      for (const n of [1, 2, 3]) await kit.enroll(n, event.id);
      unwrap(await kit.unenroll(1, event.id, { messageId: uuid(8888) }));
      expect(unwrap(await kit.unenroll(1, event.id, { messageId: uuid(8888) }))).to.deep.equal({ duplicate: true });
      expect(kit.sent('enrollment.promoted').map((m) => m.userId)).to.deep.equal([uuid(102)]);
      expectConsistentSeats(event.id);
    });
  });

  describe('reading enrollments', () => {
    it('shows a user their own enrollment, or ENROLLMENT.NOT_FOUND', async () => {
      const event = await kit.published({ capacity: 1 });
      await kit.enroll(1, event.id);
      expect(unwrap(await kit.getMyEnrollment.execute({ actor: kit.attendee(1), eventId: event.id }))).to.include({
        status: 'enrolled',
        userId: uuid(101),
      });
      const none = await kit.getMyEnrollment.execute({ actor: kit.attendee(9), eventId: event.id });
      expect(none.ok || none.error).to.include({ code: 'ENROLLMENT.NOT_FOUND', kind: 'not_found' });
      const noEvent = await kit.getMyEnrollment.execute({ actor: kit.attendee(1), eventId: uuid(4242) });
      expect(noEvent.ok || noEvent.error).to.include({ code: 'EVENT.NOT_FOUND' });
    });

    it('lists an event’s enrollments for its organizer and admins only, in pages, with positions', async () => {
      const event = await kit.published({ capacity: 1 });
      for (const n of [1, 2, 3]) {
        await kit.enroll(n, event.id);
        kit.clock.advance(1000);
      }
      const forbidden = await kit.listEnrollments.execute({ actor: kit.otherOrganizer, eventId: event.id });
      expect(forbidden.ok || forbidden.error).to.include({ code: 'EVENT.FORBIDDEN' });
      const first = unwrap(await kit.listEnrollments.execute({ actor: kit.organizer, eventId: event.id, limit: 2 }));
      expect(first.items.map((e) => [e.userId, e.status, e.position])).to.deep.equal([
        [uuid(101), 'enrolled', undefined],
        [uuid(102), 'waitlisted', 1],
      ]);
      const rest = unwrap(await kit.listEnrollments.execute({ actor: kit.admin, eventId: event.id, limit: 2, cursor: first.nextCursor }));
      expect(rest.items.map((e) => [e.userId, e.position])).to.deep.equal([[uuid(103), 2]]);
      expect(rest.nextCursor).to.equal(null);
      const waitlisted = unwrap(await kit.listEnrollments.execute({ actor: kit.organizer, eventId: event.id, statuses: ['waitlisted'] }));
      expect(waitlisted.items.map((e) => e.userId)).to.deep.equal([uuid(102), uuid(103)]);
      const badCursor = await kit.listEnrollments.execute({ actor: kit.organizer, eventId: event.id, cursor: 'nope' });
      expect(badCursor.ok || badCursor.error).to.include({ code: 'PAGINATION.INVALID_CURSOR' });
    });

    it("lists a user's own enrollments across events", async () => {
      const a = await kit.published({ capacity: 1 });
      const b = await kit.published({ capacity: 1, title: 'Second' });
      await kit.enroll(2, b.id);
      kit.clock.advance(1000);
      await kit.enroll(1, a.id);
      kit.clock.advance(1000);
      await kit.enroll(1, b.id);
      const mine = unwrap(await kit.listMyEnrollments.execute({ actor: kit.attendee(1) }));
      expect(mine.items.map((e) => [e.eventId, e.status, e.position])).to.deep.equal([
        [a.id, 'enrolled', undefined],
        [b.id, 'waitlisted', 1],
      ]);
    });
  });
});
