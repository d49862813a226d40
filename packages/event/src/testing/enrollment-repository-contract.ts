import { expect } from 'chai';
import type { Enrollment } from '../domain/enrollment.js';
import { anEnrollment, at, runAndThrow, uuid, type EventStoreFixture } from './contract-support.js';

/** Every adapter of EnrollmentRepository must pass this. */
export function enrollmentRepositoryContract(name: string, makeFixture: () => Promise<EventStoreFixture>): void {
  describe(`EnrollmentRepository contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close?.();
    });

    const save = (...items: Enrollment[]) =>
      fixture.uow.run(async ({ enrollments }) => {
        for (const item of items) await enrollments.save(item);
      });
    const find = (eventId: string, userId: string) => fixture.uow.run(({ enrollments }) => enrollments.find(eventId, userId));
    const waiting = (userN: number, order: number, eventId = uuid(1)) =>
      anEnrollment({ eventId, userId: uuid(userN), status: 'waitlisted', waitlistOrder: order, createdAt: at(order) });

    describe('save and find', () => {
      it('round-trips every field of each status', async () => {
        const items = [
          anEnrollment({ userId: uuid(100), name: 'Zoë O\'Brien, PhD', email: 'zoe+events@example.org' }),
          anEnrollment({ userId: uuid(101), status: 'waitlisted', waitlistOrder: 7 }),
          anEnrollment({ userId: uuid(102), status: 'rejected', reason: 'ENROLLMENT.EVENT_CANCELLED' }),
          anEnrollment({ userId: uuid(103), status: 'cancelled', email: '', name: '' }),
        ];
        await save(...items);
        for (const item of items) expect(await find(item.eventId, item.userId)).to.deep.equal(item);
      });

      it('returns null when the user has no enrollment in the event', async () => {
        await save(anEnrollment({ eventId: uuid(1), userId: uuid(100) }));
        expect(await find(uuid(1), uuid(101))).to.equal(null);
        expect(await find(uuid(2), uuid(100))).to.equal(null);
      });

      it('replaces every field of the same (event, user) on a second save', async () => {
        await save(anEnrollment({ status: 'waitlisted', waitlistOrder: 3 }));
        const replaced = anEnrollment({
          email: 'new@example.org',
          name: 'New Name',
          status: 'rejected',
          waitlistOrder: null,
          reason: 'ENROLLMENT.EVENT_STARTED',
          requestedAt: at(5),
          createdAt: at(-59),
          updatedAt: at(6),
        });
        await save(replaced);
        expect(await find(uuid(1), uuid(100))).to.deep.equal(replaced);
        expect((await fixture.uow.run(({ enrollments }) => enrollments.counts(uuid(1)))).rejected).to.equal(1);
      });

      it('keeps nothing saved in a unit of work that throws', async () => {
        await save(anEnrollment({ status: 'enrolled' }));
        await runAndThrow(fixture.uow, async ({ enrollments }) => {
          await enrollments.save(anEnrollment({ status: 'cancelled' }));
          await enrollments.save(anEnrollment({ userId: uuid(101) }));
        });
        expect((await find(uuid(1), uuid(100)))?.status).to.equal('enrolled');
        expect(await find(uuid(1), uuid(101))).to.equal(null);
      });
    });

    describe('the waitlist', () => {
      it('gives the first waitlisted by order, in this event only, or null', async () => {
        expect(await fixture.uow.run(({ enrollments }) => enrollments.firstWaitlisted(uuid(1)))).to.equal(null);
        await save(
          waiting(101, 5),
          waiting(102, 2),
          waiting(103, 9),
          waiting(104, 1, uuid(2)),
          anEnrollment({ userId: uuid(105), status: 'cancelled', createdAt: at(-100) }),
        );
        expect(await fixture.uow.run(({ enrollments }) => enrollments.firstWaitlisted(uuid(1)))).to.deep.equal(waiting(102, 2));
      });

      it('reads a user\'s enrollment and the head of the event\'s queue together', async () => {
        const read = (eventId: string, userN: number) => fixture.uow.run(({ enrollments }) => enrollments.findWithQueueHead(eventId, uuid(userN)));
        expect(await read(uuid(1), 101)).to.deep.equal({ enrollment: null, queueHead: null });
        await save(
          waiting(101, 5),
          waiting(102, 2),
          waiting(104, 1, uuid(2)),
          anEnrollment({ userId: uuid(105), status: 'enrolled' }),
          anEnrollment({ eventId: uuid(3), userId: uuid(106), status: 'cancelled' }),
        );
        expect(await read(uuid(1), 101)).to.deep.equal({ enrollment: waiting(101, 5), queueHead: waiting(102, 2) });
        expect(await read(uuid(1), 102)).to.deep.equal({ enrollment: waiting(102, 2), queueHead: waiting(102, 2) });
        expect(await read(uuid(1), 105)).to.deep.equal({ enrollment: anEnrollment({ userId: uuid(105), status: 'enrolled' }), queueHead: waiting(102, 2) });
        expect(await read(uuid(1), 104)).to.deep.equal({ enrollment: null, queueHead: waiting(102, 2) });
        expect(await read(uuid(3), 106)).to.deep.equal({ enrollment: anEnrollment({ eventId: uuid(3), userId: uuid(106), status: 'cancelled' }), queueHead: null });
      });

      it('hands out an order after every waitlisted one, starting at 1, with the length of the queue', async () => {
        const tail = () => fixture.uow.run(({ enrollments }) => enrollments.waitlistTail(uuid(1)));
        expect(await tail()).to.deep.equal({ nextOrder: 1, length: 0 });
        await save(waiting(101, 4), waiting(102, 2), waiting(103, 50, uuid(2)), anEnrollment({ userId: uuid(104), status: 'enrolled' }));
        expect((await tail()).nextOrder).to.be.greaterThan(4);
        expect((await tail()).length).to.equal(2);
        // The newcomer saved with that order is at position length + 1.
        const { nextOrder, length } = await tail();
        await save(waiting(105, nextOrder));
        expect(await fixture.uow.run(({ enrollments }) => enrollments.waitlistPosition(uuid(1), uuid(105)))).to.equal(length + 1);
      });

      it('counts positions among waitlisted only, and moves everyone up when one leaves', async () => {
        await save(waiting(101, 10), waiting(102, 20), waiting(103, 30), anEnrollment({ userId: uuid(104), status: 'enrolled' }));
        const position = (n: number) => fixture.uow.run(({ enrollments }) => enrollments.waitlistPosition(uuid(1), uuid(n)));
        expect([await position(101), await position(102), await position(103)]).to.deep.equal([1, 2, 3]);
        expect(await position(104)).to.equal(null);
        expect(await position(999)).to.equal(null);
        await save({ ...waiting(101, 10), status: 'enrolled', waitlistOrder: null });
        expect([await position(101), await position(102), await position(103)]).to.deep.equal([null, 1, 2]);
      });
    });

    describe('many at once (a batch of enrollment requests)', () => {
      const readMany = (pairs: [string, number][], queues: [string, number][]) =>
        fixture.uow.run(({ enrollments }) =>
          enrollments.findManyWithQueues(
            pairs.map(([eventId, n]) => ({ eventId, userId: uuid(n) })),
            queues.map(([eventId, heads]) => ({ eventId, heads })),
          ),
        );
      const byUser = (placed: readonly { enrollment: Enrollment; position: number | null }[]) =>
        [...placed].sort((a, b) => a.enrollment.eventId.localeCompare(b.enrollment.eventId) || a.enrollment.userId.localeCompare(b.enrollment.userId));

      it('reads the pairs that have an enrollment with their positions, and each queue\'s heads and tail, in one call', async () => {
        await save(
          waiting(101, 5),
          waiting(102, 2),
          waiting(103, 9),
          anEnrollment({ userId: uuid(104), status: 'enrolled' }),
          waiting(105, 3, uuid(2)),
          anEnrollment({ eventId: uuid(3), userId: uuid(106), status: 'cancelled' }),
        );
        const read = await readMany(
          [[uuid(1), 101], [uuid(1), 104], [uuid(1), 999], [uuid(2), 105], [uuid(3), 106], [uuid(1), 101], ['not-a-uuid', 101]],
          [[uuid(1), 2], [uuid(2), 0], [uuid(3), 5]],
        );
        expect(byUser(read.enrollments)).to.deep.equal([
          { enrollment: waiting(101, 5), position: 2 },
          { enrollment: anEnrollment({ userId: uuid(104), status: 'enrolled' }), position: null },
          { enrollment: waiting(105, 3, uuid(2)), position: 1 },
          { enrollment: anEnrollment({ eventId: uuid(3), userId: uuid(106), status: 'cancelled' }), position: null },
        ]);
        expect(read.queues).to.deep.equal([
          { eventId: uuid(1), heads: [waiting(102, 2), waiting(101, 5)], tail: { nextOrder: 10, length: 3 } },
          { eventId: uuid(2), heads: [], tail: { nextOrder: 4, length: 1 } },
          { eventId: uuid(3), heads: [], tail: { nextOrder: 1, length: 0 } },
        ]);
      });

      it('reads nothing for nothing asked', async () => {
        await save(waiting(101, 1));
        expect(await readMany([], [])).to.deep.equal({ enrollments: [], queues: [] });
        expect(await readMany([[uuid(1), 101]], [])).to.deep.equal({ enrollments: [{ enrollment: waiting(101, 1), position: 1 }], queues: [] });
      });

      it('saves many rows in one call, inserting new ones and replacing every field of existing ones', async () => {
        await save(anEnrollment({ userId: uuid(101) }), waiting(102, 1));
        const rows = [
          anEnrollment({ userId: uuid(101), status: 'cancelled', requestedAt: at(3), updatedAt: at(4) }),
          { ...waiting(102, 1), status: 'enrolled' as const, waitlistOrder: null, updatedAt: at(5) },
          anEnrollment({ eventId: uuid(2), userId: uuid(103), status: 'rejected', reason: 'ENROLLMENT.EVENT_STARTED' }),
          waiting(104, 2),
        ];
        await fixture.uow.run(({ enrollments }) => enrollments.saveMany(rows));
        for (const row of rows) expect(await find(row.eventId, row.userId)).to.deep.equal(row);
        await fixture.uow.run(({ enrollments }) => enrollments.saveMany([]));
      });

      it('lets one row take the waitlist order another leaves in the same call, whatever their order in it', async () => {
        await save(waiting(101, 1), anEnrollment({ userId: uuid(102), status: 'cancelled' }));
        await fixture.uow.run(({ enrollments }) =>
          enrollments.saveMany([waiting(102, 1), { ...waiting(101, 1), status: 'enrolled', waitlistOrder: null }]),
        );
        expect(await find(uuid(1), uuid(102))).to.deep.equal(waiting(102, 1));
        expect(await find(uuid(1), uuid(101))).to.include({ status: 'enrolled', waitlistOrder: null });
      });

      it('keeps nothing of a saveMany in a unit of work that throws', async () => {
        await runAndThrow(fixture.uow, ({ enrollments }) => enrollments.saveMany([waiting(101, 1), anEnrollment({ userId: uuid(102) })]));
        expect(await find(uuid(1), uuid(101))).to.equal(null);
        expect(await find(uuid(1), uuid(102))).to.equal(null);
      });
    });

    describe('lists', () => {
      it('lists an event by (createdAt, userId), filtered by status, in pages', async () => {
        await save(
          anEnrollment({ userId: uuid(103), createdAt: at(1) }),
          anEnrollment({ userId: uuid(102), createdAt: at(1), status: 'waitlisted', waitlistOrder: 1 }),
          anEnrollment({ userId: uuid(101), createdAt: at(2), status: 'cancelled' }),
          anEnrollment({ userId: uuid(104), createdAt: at(0) }),
          anEnrollment({ eventId: uuid(2), userId: uuid(105), createdAt: at(0) }),
        );
        const list = async (statuses: Enrollment['status'][], limit = 10, after: { at: Date; id: string } | null = null) =>
          fixture.uow.run(({ enrollments }) => enrollments.listByEvent(uuid(1), statuses, { limit, after }));

        expect((await list([])).items.map((e) => e.userId)).to.deep.equal([uuid(104), uuid(102), uuid(103), uuid(101)]);
        expect((await list(['enrolled', 'waitlisted'])).items.map((e) => e.userId)).to.deep.equal([uuid(104), uuid(102), uuid(103)]);
        const first = await list([], 2);
        expect(first.items.map((e) => e.userId)).to.deep.equal([uuid(104), uuid(102)]);
        expect(first.hasMore).to.equal(true);
        const second = await list([], 2, { at: at(1), id: uuid(102) });
        expect(second.items.map((e) => e.userId)).to.deep.equal([uuid(103), uuid(101)]);
        expect(second.hasMore).to.equal(false);
      });

      it("lists a user's enrollments across events by (createdAt, eventId), in pages", async () => {
        await save(
          anEnrollment({ eventId: uuid(3), createdAt: at(5) }),
          anEnrollment({ eventId: uuid(2), createdAt: at(5), status: 'rejected', reason: 'ENROLLMENT.EVENT_NOT_PUBLISHED' }),
          anEnrollment({ eventId: uuid(1), createdAt: at(9) }),
          anEnrollment({ eventId: uuid(1), userId: uuid(101), createdAt: at(0) }),
        );
        const first = await fixture.uow.run(({ enrollments }) => enrollments.listByUser(uuid(100), { limit: 2, after: null }));
        expect(first.items.map((e) => e.eventId)).to.deep.equal([uuid(2), uuid(3)]);
        expect(first.hasMore).to.equal(true);
        const rest = await fixture.uow.run(({ enrollments }) => enrollments.listByUser(uuid(100), { limit: 2, after: { at: at(5), id: uuid(3) } }));
        expect(rest.items.map((e) => e.eventId)).to.deep.equal([uuid(1)]);
        expect(rest.hasMore).to.equal(false);
      });

      it('lists every enrolled and waitlisted enrollment of an event, and no other', async () => {
        await save(
          anEnrollment({ userId: uuid(101), createdAt: at(3) }),
          waiting(102, 1),
          anEnrollment({ userId: uuid(103), status: 'cancelled' }),
          anEnrollment({ userId: uuid(104), status: 'rejected', reason: 'ENROLLMENT.EVENT_STARTED' }),
          anEnrollment({ eventId: uuid(2), userId: uuid(105) }),
        );
        const active = await fixture.uow.run(({ enrollments }) => enrollments.listActive(uuid(1)));
        expect(active.map((e) => e.userId)).to.deep.equal([uuid(102), uuid(101)]);
      });

      it('counts every status, zero included', async () => {
        await save(
          anEnrollment({ userId: uuid(101) }),
          anEnrollment({ userId: uuid(102) }),
          waiting(103, 1),
          anEnrollment({ eventId: uuid(2), userId: uuid(104), status: 'cancelled' }),
        );
        expect(await fixture.uow.run(({ enrollments }) => enrollments.counts(uuid(1)))).to.deep.equal({
          enrolled: 2,
          waitlisted: 1,
          rejected: 0,
          cancelled: 0,
        });
      });
    });

    it('deletes every enrollment of one event and only that event', async () => {
      await save(anEnrollment({ userId: uuid(101) }), anEnrollment({ userId: uuid(102) }), anEnrollment({ eventId: uuid(2), userId: uuid(101) }));
      await fixture.uow.run(({ enrollments }) => enrollments.deleteByEvent(uuid(1)));
      expect(await find(uuid(1), uuid(101))).to.equal(null);
      expect(await find(uuid(1), uuid(102))).to.equal(null);
      expect(await find(uuid(2), uuid(101))).to.not.equal(null);
    });
  });
}
