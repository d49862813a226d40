import { expect } from 'chai';
import type { Event } from '../domain/event.js';
import type { EventQuery } from '../ports/event-repository.js';
import type { Keyset } from '../ports/keyset.js';
import { anEnrollment, anEntry, anEvent, at, insertEvents, runAndThrow, uuid, type EventCatalogFixture } from './contract-support.js';

/** Every adapter of EventCatalog must pass this: it writes through the store's unit of work and reads through the catalog. */
export function eventCatalogContract(name: string, makeFixture: () => Promise<EventCatalogFixture>): void {
  describe(`EventCatalog contract: ${name}`, () => {
    let fixture: EventCatalogFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close?.();
    });

    const insert = (...events: Event[]) => insertEvents(fixture.uow, ...events);

    /** Event 1 with enrollments in every status and three sessions, and event 2 with one of each, to tell them apart. */
    const seedTwoEvents = async () => {
      await insert(anEvent({ id: uuid(1), seatsTaken: 2, capacity: 2 }), anEvent({ id: uuid(2), title: 'Other' }));
      await fixture.uow.run(async ({ enrollments, programme }) => {
        await enrollments.save(anEnrollment({ userId: uuid(101), status: 'enrolled' }));
        await enrollments.save(anEnrollment({ userId: uuid(102), status: 'enrolled' }));
        await enrollments.save(anEnrollment({ userId: uuid(103), status: 'waitlisted', waitlistOrder: 4 }));
        await enrollments.save(anEnrollment({ userId: uuid(104), status: 'waitlisted', waitlistOrder: 9 }));
        await enrollments.save(anEnrollment({ userId: uuid(105), status: 'waitlisted', waitlistOrder: 12 }));
        await enrollments.save(anEnrollment({ userId: uuid(106), status: 'cancelled' }));
        await enrollments.save(anEnrollment({ userId: uuid(107), status: 'rejected', reason: 'ENROLLMENT.EVENT_STARTED' }));
        await enrollments.save(anEnrollment({ eventId: uuid(2), userId: uuid(101), status: 'waitlisted', waitlistOrder: 1 }));
        // Inserted out of order; two start together, so the session id breaks the tie.
        await programme.upsert(anEntry({ sessionId: uuid(503), startsAt: at(60), endsAt: at(90), title: 'Third' }));
        await programme.upsert(anEntry({ sessionId: uuid(502), startsAt: at(0), endsAt: at(45), title: 'Second, same start', linkedManually: true }));
        await programme.upsert(anEntry({ sessionId: uuid(501), startsAt: at(0), endsAt: at(30), title: 'First', room: 'Ünïcode "room"', sourceVersion: 7 }));
        await programme.upsert(anEntry({ eventId: uuid(2), sessionId: uuid(504) }));
      });
    };

    describe('find', () => {
      it('returns the event, the number waitlisted (only waitlisted) and its own programme by (startsAt, sessionId)', async () => {
        await seedTwoEvents();
        const entry = await fixture.catalog.find(uuid(1));
        expect(entry?.event).to.deep.equal(anEvent({ id: uuid(1), seatsTaken: 2, capacity: 2 }));
        expect(entry?.waitlisted).to.equal(3);
        expect(entry?.programme).to.deep.equal([
          anEntry({ sessionId: uuid(501), startsAt: at(0), endsAt: at(30), title: 'First', room: 'Ünïcode "room"', sourceVersion: 7 }),
          anEntry({ sessionId: uuid(502), startsAt: at(0), endsAt: at(45), title: 'Second, same start', linkedManually: true }),
          anEntry({ sessionId: uuid(503), startsAt: at(60), endsAt: at(90), title: 'Third' }),
        ]);
      });

      it('answers what the repositories of a unit of work read', async () => {
        await seedTwoEvents();
        for (const id of [uuid(1), uuid(2)]) {
          const expected = await fixture.uow.run(async ({ events, enrollments, programme }) => ({
            event: await events.findById(id),
            waitlisted: (await enrollments.counts(id)).waitlisted,
            programme: await programme.listByEvent(id),
          }));
          expect(await fixture.catalog.find(id)).to.deep.equal(expected);
        }
      });

      it('gives 0 waitlisted and an empty programme for an event with neither', async () => {
        await insert(anEvent());
        expect(await fixture.catalog.find(uuid(1))).to.deep.equal({ event: anEvent(), waitlisted: 0, programme: [] });
      });

      it('returns drafts too: whether the asker may see one is not the catalog\'s decision', async () => {
        await insert(anEvent({ status: 'draft' }));
        expect((await fixture.catalog.find(uuid(1)))?.event.status).to.equal('draft');
      });

      it('returns null for an unknown id and for text that is not a UUID', async () => {
        await insert(anEvent());
        expect(await fixture.catalog.find(uuid(77))).to.equal(null);
        expect(await fixture.catalog.find('not-a-uuid')).to.equal(null);
      });

      // Adapters may read the finds of one moment in one statement: each caller still gets its own answer, and its own copy.
      it('answers many finds made at the same moment each for itself: known, unknown, not a UUID, the same event twice', async () => {
        await seedTwoEvents();
        const one = await fixture.catalog.find(uuid(1));
        const two = await fixture.catalog.find(uuid(2));
        const asked = [uuid(1), uuid(77), uuid(2), 'not-a-uuid', uuid(1), uuid(1).toUpperCase()];
        const answers = await Promise.all(asked.map((id) => fixture.catalog.find(id)));
        expect(answers).to.deep.equal([one, null, two, null, one, one]);
        answers[0]!.event.startsAt.setTime(0);
        answers[0]!.programme[0]!.startsAt.setTime(0);
        expect(answers[4]).to.deep.equal(one);
        expect(answers[5]).to.deep.equal(one);
      });

      it('sees committed changes, and nothing of a unit of work that threw', async () => {
        await insert(anEvent());
        await fixture.uow.run(async ({ events, enrollments }) => {
          await events.update(anEvent({ title: 'Renamed', version: 5 }), 4);
          await enrollments.save(anEnrollment({ status: 'waitlisted', waitlistOrder: 1 }));
        });
        await runAndThrow(fixture.uow, async ({ events, programme, enrollments }) => {
          await events.update(anEvent({ title: 'Never', version: 6 }), 5);
          await programme.upsert(anEntry());
          await enrollments.save(anEnrollment({ userId: uuid(101), status: 'waitlisted', waitlistOrder: 2 }));
        });
        expect(await fixture.catalog.find(uuid(1))).to.deep.equal({ event: anEvent({ title: 'Renamed', version: 5 }), waitlisted: 1, programme: [] });
      });

      it('hands out copies: changing what it returned changes nothing stored', async () => {
        await insert(anEvent());
        await fixture.uow.run(({ programme }) => programme.upsert(anEntry()));
        const entry = (await fixture.catalog.find(uuid(1)))!;
        (entry.event as { title: string }).title = 'changed';
        entry.event.startsAt.setTime(0);
        entry.programme[0]!.endsAt.setTime(0);
        (entry.programme as unknown[]).length = 0;
        expect(await fixture.catalog.find(uuid(1))).to.deep.equal({ event: anEvent(), waitlisted: 0, programme: [anEntry()] });
      });
    });

    describe('list', () => {
      const seedListing = async () => {
        await insert(
          anEvent({ id: uuid(5), startsAt: at(30), endsAt: at(90), title: 'Rust Days' }),
          anEvent({ id: uuid(3), startsAt: at(10), endsAt: at(90), status: 'draft', organizerId: uuid(901) }),
          anEvent({ id: uuid(4), startsAt: at(10), endsAt: at(90), status: 'cancelled' }),
          anEvent({ id: uuid(1), startsAt: at(20), endsAt: at(200), status: 'draft', organizerId: uuid(902), title: '50% off' }),
          anEvent({ id: uuid(2), startsAt: at(0), endsAt: at(40), organizerId: uuid(902) }),
        );
        await fixture.uow.run(async ({ enrollments }) => {
          await enrollments.save(anEnrollment({ eventId: uuid(5), userId: uuid(100), status: 'enrolled' }));
          await enrollments.save(anEnrollment({ eventId: uuid(2), userId: uuid(100), status: 'cancelled' }));
        });
      };

      it('pages by (startsAt, id) and leaves out drafts the query does not show', async () => {
        await seedListing();
        const first = await fixture.catalog.list({ drafts: { kind: 'none' } }, { limit: 2, after: null });
        expect(first.items.map((e) => e.id)).to.deep.equal([uuid(2), uuid(4)]);
        expect(first.hasMore).to.equal(true);
        const rest = await fixture.catalog.list({ drafts: { kind: 'none' } }, { limit: 2, after: { at: at(10), id: uuid(4) } });
        expect(rest.items.map((e) => e.id)).to.deep.equal([uuid(5)]);
        expect(rest.hasMore).to.equal(false);
        expect(rest.items[0]).to.deep.equal(anEvent({ id: uuid(5), startsAt: at(30), endsAt: at(90), title: 'Rust Days' }));
      });

      it('answers every query and page as EventRepository.list does', async () => {
        await seedListing();
        const queries: EventQuery[] = [
          { drafts: { kind: 'all' } },
          { drafts: { kind: 'none' } },
          { drafts: { kind: 'own', organizerId: uuid(901) } },
          { drafts: { kind: 'own', organizerId: uuid(902) }, statuses: ['draft', 'published'] },
          { drafts: { kind: 'all' }, from: at(41), to: at(30) },
          { drafts: { kind: 'all' }, titleContains: '50%' },
          { drafts: { kind: 'all' }, organizerId: uuid(902) },
          { drafts: { kind: 'none' }, enrolledUserId: uuid(100) },
        ];
        const pages: Keyset[] = [
          { limit: 100, after: null },
          { limit: 1, after: null },
          { limit: 2, after: { at: at(10), id: uuid(3) } },
        ];
        for (const query of queries) {
          for (const page of pages) {
            const expected = await fixture.uow.run(({ events }) => events.list(query, page));
            expect(await fixture.catalog.list(query, page), JSON.stringify({ query, page })).to.deep.equal(expected);
          }
        }
      });
    });
  });
}
