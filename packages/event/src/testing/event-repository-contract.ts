import { expect } from 'chai';
import { DomainError, StaleVersionError } from '@conference/kernel';
import type { Event } from '../domain/event.js';
import type { EventQuery } from '../ports/event-repository.js';
import type { Keyset } from '../ports/keyset.js';
import { anEnrollment, anEvent, at, insertEvents, rejectionOf, runAndThrow, uuid, type EventStoreFixture } from './contract-support.js';

/** Every adapter of EventRepository must pass this (keyv-style: the same cases for every implementation). */
export function eventRepositoryContract(name: string, makeFixture: () => Promise<EventStoreFixture>): void {
  describe(`EventRepository contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close?.();
    });

    const insert = (...events: Event[]) => insertEvents(fixture.uow, ...events);
    const findById = (id: string) => fixture.uow.run(({ events }) => events.findById(id));
    const ids = async (query: Partial<EventQuery>, page: Keyset = { limit: 100, after: null }) => {
      const slice = await fixture.uow.run(({ events }) => events.list({ drafts: { kind: 'all' }, ...query }, page));
      return slice.items.map((e) => e.id);
    };

    describe('insert and find', () => {
      it('round-trips every field, dates to the millisecond', async () => {
        const event = anEvent({ status: 'draft', title: 'Ünïcode & "quotes" — ok', description: '' });
        await insert(event);
        expect(await findById(event.id)).to.deep.equal(event);
        expect(await fixture.uow.run(({ events }) => events.findForUpdate(event.id))).to.deep.equal(event);
      });

      it('returns null for an event that does not exist', async () => {
        expect(await findById(uuid(77))).to.equal(null);
        expect(await fixture.uow.run(({ events }) => events.findForUpdate(uuid(77)))).to.equal(null);
      });

      it('refuses a second event with the same id, as a conflict, keeping the first', async () => {
        await insert(anEvent());
        const error = await rejectionOf(insert(anEvent({ title: 'Impostor' })));
        expect(error).to.be.instanceOf(DomainError);
        expect(error).to.include({ kind: 'conflict', code: 'EVENT.ALREADY_EXISTS' });
        expect((await findById(uuid(1)))?.title).to.equal('TypeScript Summit');
      });

      it('keeps nothing inserted in a unit of work that throws', async () => {
        await runAndThrow(fixture.uow, ({ events }) => events.insert(anEvent()));
        expect(await findById(uuid(1))).to.equal(null);
      });

      it('hands out copies: changing a returned event changes nothing stored', async () => {
        await insert(anEvent());
        const found = (await findById(uuid(1))) as { title: string; startsAt: Date };
        found.title = 'changed';
        found.startsAt.setTime(0);
        expect(await findById(uuid(1))).to.deep.equal(anEvent());
      });
    });

    describe('update', () => {
      it('replaces every field when the stored version is the expected one', async () => {
        await insert(anEvent());
        const changed = anEvent({
          title: 'Renamed',
          description: 'New text',
          venue: 'Hall B',
          startsAt: at(60),
          endsAt: at(600),
          capacity: 80,
          status: 'cancelled',
          seatsTaken: 7,
          updatedAt: at(-1),
          version: 5,
        });
        await fixture.uow.run(({ events }) => events.update(changed, 4));
        expect(await findById(uuid(1))).to.deep.equal(changed);
      });

      it('accepts a change that keeps the version (seat counts under the row lock)', async () => {
        await insert(anEvent());
        await fixture.uow.run(async ({ events }) => {
          const locked = await events.findForUpdate(uuid(1));
          await events.update({ ...locked!, seatsTaken: 4 }, 4);
        });
        expect(await findById(uuid(1))).to.deep.equal(anEvent({ seatsTaken: 4 }));
      });

      it('throws StaleVersionError when the stored version differs, and writes nothing', async () => {
        await insert(anEvent());
        const error = await rejectionOf(fixture.uow.run(({ events }) => events.update(anEvent({ title: 'Late', version: 4 }), 3)));
        expect(error).to.be.instanceOf(StaleVersionError);
        expect(error).to.include({ code: 'EVENT.STALE_VERSION', kind: 'conflict' });
        expect((await findById(uuid(1)))?.title).to.equal('TypeScript Summit');
      });

      it('throws StaleVersionError for an event that no longer exists', async () => {
        const error = await rejectionOf(fixture.uow.run(({ events }) => events.update(anEvent({ version: 2 }), 1)));
        expect(error).to.be.instanceOf(StaleVersionError);
      });
    });

    describe('many at once (a batch of enrollment requests)', () => {
      it('finds the existing events among the ids, locked, in ascending id order, skipping unknown and impossible ids', async () => {
        await insert(anEvent({ id: uuid(3) }), anEvent({ id: uuid(1), title: 'First' }), anEvent({ id: uuid(2) }));
        const found = await fixture.uow.run(({ events }) => events.findManyForUpdate([uuid(3), uuid(77), 'not-a-uuid', uuid(1), uuid(3)]));
        expect(found).to.deep.equal([anEvent({ id: uuid(1), title: 'First' }), anEvent({ id: uuid(3) })]);
        expect(await fixture.uow.run(({ events }) => events.findManyForUpdate([]))).to.deep.equal([]);
      });

      it('updates every event whose version matches, in one go', async () => {
        await insert(anEvent({ id: uuid(1) }), anEvent({ id: uuid(2), version: 7 }), anEvent({ id: uuid(3) }));
        await fixture.uow.run(({ events }) =>
          events.updateMany([
            { event: anEvent({ id: uuid(2), version: 7, seatsTaken: 9, updatedAt: at(5) }), expectedVersion: 7 },
            { event: anEvent({ id: uuid(1), seatsTaken: 0, title: 'Renamed' }), expectedVersion: 4 },
          ]),
        );
        expect(await findById(uuid(1))).to.deep.equal(anEvent({ id: uuid(1), seatsTaken: 0, title: 'Renamed' }));
        expect(await findById(uuid(2))).to.deep.equal(anEvent({ id: uuid(2), version: 7, seatsTaken: 9, updatedAt: at(5) }));
        expect(await findById(uuid(3))).to.deep.equal(anEvent({ id: uuid(3) }));
        await fixture.uow.run(({ events }) => events.updateMany([]));
      });

      it('throws StaleVersionError when any version differs or an event is gone; the unit of work keeps none of it', async () => {
        await insert(anEvent({ id: uuid(1) }), anEvent({ id: uuid(2) }));
        const stale = await rejectionOf(
          fixture.uow.run(({ events }) =>
            events.updateMany([
              { event: anEvent({ id: uuid(1), seatsTaken: 10 }), expectedVersion: 4 },
              { event: anEvent({ id: uuid(2), seatsTaken: 10 }), expectedVersion: 3 },
            ]),
          ),
        );
        expect(stale).to.be.instanceOf(StaleVersionError);
        expect(stale).to.include({ code: 'EVENT.STALE_VERSION', kind: 'conflict' });
        const gone = await rejectionOf(fixture.uow.run(({ events }) => events.updateMany([{ event: anEvent({ id: uuid(9) }), expectedVersion: 4 }])));
        expect(gone).to.be.instanceOf(StaleVersionError);
        expect((await findById(uuid(1)))?.seatsTaken).to.equal(3);
        expect((await findById(uuid(2)))?.seatsTaken).to.equal(3);
      });

      it('keeps the old event when the unit of work throws after the update', async () => {
        await insert(anEvent());
        await runAndThrow(fixture.uow, ({ events }) => events.update(anEvent({ title: 'Rolled back', version: 5 }), 4));
        expect(await findById(uuid(1))).to.deep.equal(anEvent());
      });
    });

    describe('delete', () => {
      it('deletes the event at the expected version', async () => {
        await insert(anEvent(), anEvent({ id: uuid(2) }));
        await fixture.uow.run(({ events }) => events.delete(uuid(1), 4));
        expect(await findById(uuid(1))).to.equal(null);
        expect(await findById(uuid(2))).to.not.equal(null);
      });

      it('throws StaleVersionError for another version or a missing event, deleting nothing', async () => {
        await insert(anEvent());
        expect(await rejectionOf(fixture.uow.run(({ events }) => events.delete(uuid(1), 3)))).to.be.instanceOf(StaleVersionError);
        expect(await rejectionOf(fixture.uow.run(({ events }) => events.delete(uuid(9), 1)))).to.be.instanceOf(StaleVersionError);
        expect(await findById(uuid(1))).to.not.equal(null);
      });
    });

    describe('list', () => {
      it('orders by startsAt, then id, and pages through every event once', async () => {
        // ids chosen so that id order and insertion order disagree with start order
        await insert(
          anEvent({ id: uuid(5), startsAt: at(30), endsAt: at(90) }),
          anEvent({ id: uuid(3), startsAt: at(10), endsAt: at(90) }),
          anEvent({ id: uuid(4), startsAt: at(10), endsAt: at(90) }),
          anEvent({ id: uuid(1), startsAt: at(20), endsAt: at(90) }),
          anEvent({ id: uuid(2), startsAt: at(0), endsAt: at(90) }),
        );
        expect(await ids({})).to.deep.equal([uuid(2), uuid(3), uuid(4), uuid(1), uuid(5)]);

        const first = await fixture.uow.run(({ events }) => events.list({ drafts: { kind: 'all' } }, { limit: 2, after: null }));
        expect(first.items.map((e) => e.id)).to.deep.equal([uuid(2), uuid(3)]);
        expect(first.hasMore).to.equal(true);
        const second = await ids({}, { limit: 2, after: { at: at(10), id: uuid(3) } });
        expect(second).to.deep.equal([uuid(4), uuid(1)]);
        const last = await fixture.uow.run(({ events }) => events.list({ drafts: { kind: 'all' } }, { limit: 2, after: { at: at(20), id: uuid(1) } }));
        expect(last.items.map((e) => e.id)).to.deep.equal([uuid(5)]);
        expect(last.hasMore).to.equal(false);
      });

      it('says there is no more when the page ends exactly at the last event', async () => {
        await insert(anEvent({ id: uuid(1) }), anEvent({ id: uuid(2) }));
        const slice = await fixture.uow.run(({ events }) => events.list({ drafts: { kind: 'all' } }, { limit: 2, after: null }));
        expect(slice.items).to.have.length(2);
        expect(slice.hasMore).to.equal(false);
      });

      it('filters by status, any of several', async () => {
        await insert(
          anEvent({ id: uuid(1), status: 'draft' }),
          anEvent({ id: uuid(2), status: 'published' }),
          anEvent({ id: uuid(3), status: 'cancelled' }),
        );
        expect(await ids({ statuses: ['published'] })).to.deep.equal([uuid(2)]);
        expect(await ids({ statuses: ['draft', 'cancelled'] })).to.deep.equal([uuid(1), uuid(3)]);
        expect(await ids({ statuses: [] })).to.deep.equal([uuid(1), uuid(2), uuid(3)]);
      });

      it('filters by time: from keeps events ending at or after it, to keeps events starting before it', async () => {
        await insert(
          anEvent({ id: uuid(1), startsAt: at(0), endsAt: at(60) }),
          anEvent({ id: uuid(2), startsAt: at(60), endsAt: at(120) }),
          anEvent({ id: uuid(3), startsAt: at(120), endsAt: at(180) }),
        );
        expect(await ids({ from: at(60) })).to.deep.equal([uuid(1), uuid(2), uuid(3)]);
        expect(await ids({ from: at(61) })).to.deep.equal([uuid(2), uuid(3)]);
        expect(await ids({ to: at(120) })).to.deep.equal([uuid(1), uuid(2)]);
        expect(await ids({ from: at(90), to: at(121) })).to.deep.equal([uuid(2), uuid(3)]);
      });

      it('finds title text case-insensitively, taking % and _ literally', async () => {
        await insert(
          anEvent({ id: uuid(1), title: 'Rust Days' }),
          anEvent({ id: uuid(2), title: 'TRUSTED builds' }),
          anEvent({ id: uuid(3), title: '50% off: pricing' }),
          anEvent({ id: uuid(4), title: '500 engineers' }),
          anEvent({ id: uuid(5), title: 'snake_case meetup' }),
          anEvent({ id: uuid(6), title: 'snakeXcase meetup' }),
        );
        expect(await ids({ titleContains: 'rust' })).to.deep.equal([uuid(1), uuid(2)]);
        expect(await ids({ titleContains: '50%' })).to.deep.equal([uuid(3)]);
        expect(await ids({ titleContains: 'e_c' })).to.deep.equal([uuid(5)]);
        expect(await ids({ titleContains: 'nothing like it' })).to.deep.equal([]);
      });

      it('filters by organizer', async () => {
        await insert(anEvent({ id: uuid(1), organizerId: uuid(901) }), anEvent({ id: uuid(2), organizerId: uuid(902) }));
        expect(await ids({ organizerId: uuid(902) })).to.deep.equal([uuid(2)]);
      });

      it('shows drafts to all, to their own organizer only, or to no one', async () => {
        await insert(
          anEvent({ id: uuid(1), status: 'draft', organizerId: uuid(901) }),
          anEvent({ id: uuid(2), status: 'draft', organizerId: uuid(902) }),
          anEvent({ id: uuid(3), status: 'published', organizerId: uuid(902) }),
          anEvent({ id: uuid(4), status: 'cancelled', organizerId: uuid(902) }),
        );
        expect(await ids({ drafts: { kind: 'all' } })).to.deep.equal([uuid(1), uuid(2), uuid(3), uuid(4)]);
        expect(await ids({ drafts: { kind: 'own', organizerId: uuid(901) } })).to.deep.equal([uuid(1), uuid(3), uuid(4)]);
        expect(await ids({ drafts: { kind: 'none' } })).to.deep.equal([uuid(3), uuid(4)]);
        expect(await ids({ drafts: { kind: 'none' }, statuses: ['draft'] })).to.deep.equal([]);
      });

      it('keeps the events a user is enrolled or waitlisted in, not those they left or were refused', async () => {
        await insert(...[1, 2, 3, 4, 5].map((n) => anEvent({ id: uuid(n) })));
        const user = uuid(100);
        await fixture.uow.run(async ({ enrollments }) => {
          await enrollments.save(anEnrollment({ eventId: uuid(1), userId: user, status: 'enrolled' }));
          await enrollments.save(anEnrollment({ eventId: uuid(2), userId: user, status: 'waitlisted', waitlistOrder: 1 }));
          await enrollments.save(anEnrollment({ eventId: uuid(3), userId: user, status: 'cancelled' }));
          await enrollments.save(anEnrollment({ eventId: uuid(4), userId: user, status: 'rejected', reason: 'ENROLLMENT.EVENT_STARTED' }));
          await enrollments.save(anEnrollment({ eventId: uuid(5), userId: uuid(101), status: 'enrolled' }));
        });
        expect(await ids({ enrolledUserId: user })).to.deep.equal([uuid(1), uuid(2)]);
        expect(await ids({ enrolledUserId: uuid(102) })).to.deep.equal([]);
      });
    });
  });
}
