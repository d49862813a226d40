import { expect } from 'chai';
import type { ProgrammeEntry } from '../domain/programme.js';
import { anEntry, at, runAndThrow, uuid, type EventStoreFixture } from './contract-support.js';

/** Every adapter of ProgrammeRepository must pass this. */
export function programmeRepositoryContract(name: string, makeFixture: () => Promise<EventStoreFixture>): void {
  describe(`ProgrammeRepository contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.close?.();
    });

    const upsert = (...entries: ProgrammeEntry[]) =>
      fixture.uow.run(async ({ programme }) => {
        for (const entry of entries) await programme.upsert(entry);
      });
    const find = (eventId: string, sessionId: string) => fixture.uow.run(({ programme }) => programme.find(eventId, sessionId));
    const listed = async (eventId: string) => (await fixture.uow.run(({ programme }) => programme.listByEvent(eventId))).map((e) => e.sessionId);

    it('round-trips every field, and returns null for an entry that does not exist', async () => {
      const entry = anEntry({ title: 'Workshop; part 1, "advanced"', linkedManually: true, sourceVersion: 12 });
      await upsert(entry);
      expect(await find(entry.eventId, entry.sessionId)).to.deep.equal(entry);
      expect(await find(entry.eventId, uuid(501))).to.equal(null);
      expect(await find(uuid(2), entry.sessionId)).to.equal(null);
    });

    it('replaces every field of the same (event, session) on a second upsert', async () => {
      await upsert(anEntry());
      const replaced = anEntry({ title: 'Moved', startsAt: at(60), endsAt: at(120), room: 'Room 9', sourceVersion: 3, linkedManually: true });
      await upsert(replaced);
      expect(await find(uuid(1), uuid(500))).to.deep.equal(replaced);
      expect(await listed(uuid(1))).to.deep.equal([uuid(500)]);
    });

    it("lists one event's programme by (startsAt, sessionId)", async () => {
      await upsert(
        anEntry({ sessionId: uuid(503), startsAt: at(60) }),
        anEntry({ sessionId: uuid(502), startsAt: at(0) }),
        anEntry({ sessionId: uuid(501), startsAt: at(60) }),
        anEntry({ eventId: uuid(2), sessionId: uuid(504), startsAt: at(-60) }),
      );
      expect(await listed(uuid(1))).to.deep.equal([uuid(502), uuid(501), uuid(503)]);
      expect(await listed(uuid(3))).to.deep.equal([]);
    });

    it('removes a session from one event, saying whether it was there', async () => {
      await upsert(anEntry(), anEntry({ eventId: uuid(2) }));
      expect(await fixture.uow.run(({ programme }) => programme.remove(uuid(1), uuid(500)))).to.equal(true);
      expect(await fixture.uow.run(({ programme }) => programme.remove(uuid(1), uuid(500)))).to.equal(false);
      expect(await find(uuid(2), uuid(500))).to.not.equal(null);
    });

    it('finds and removes a session in every event that lists it, leaving other sessions', async () => {
      await upsert(anEntry({ eventId: uuid(1) }), anEntry({ eventId: uuid(2) }), anEntry({ eventId: uuid(2), sessionId: uuid(501) }));
      const holding = await fixture.uow.run(({ programme }) => programme.findBySession(uuid(500)));
      expect(holding.map((e) => e.eventId).sort()).to.deep.equal([uuid(1), uuid(2)]);
      const left = await fixture.uow.run(({ programme }) => programme.removeSession(uuid(500)));
      expect([...left].sort()).to.deep.equal([uuid(1), uuid(2)]);
      expect(await fixture.uow.run(({ programme }) => programme.findBySession(uuid(500)))).to.deep.equal([]);
      expect(await listed(uuid(2))).to.deep.equal([uuid(501)]);
      expect(await fixture.uow.run(({ programme }) => programme.removeSession(uuid(500)))).to.deep.equal([]);
    });

    it("empties one event's programme", async () => {
      await upsert(anEntry(), anEntry({ sessionId: uuid(501) }), anEntry({ eventId: uuid(2) }));
      await fixture.uow.run(({ programme }) => programme.removeEvent(uuid(1)));
      expect(await listed(uuid(1))).to.deep.equal([]);
      expect(await listed(uuid(2))).to.deep.equal([uuid(500)]);
    });

    it('keeps watermarks per session, replacing them, null before any', async () => {
      const watermark = (sessionId: string) => fixture.uow.run(({ programme }) => programme.watermark(sessionId));
      expect(await watermark(uuid(500))).to.equal(null);
      await fixture.uow.run(({ programme }) => programme.saveWatermark({ sessionId: uuid(500), version: 3, deleted: false }));
      await fixture.uow.run(({ programme }) => programme.saveWatermark({ sessionId: uuid(501), version: 1, deleted: false }));
      await fixture.uow.run(({ programme }) => programme.saveWatermark({ sessionId: uuid(500), version: 4, deleted: true }));
      expect(await watermark(uuid(500))).to.deep.equal({ sessionId: uuid(500), version: 4, deleted: true });
      expect(await watermark(uuid(501))).to.deep.equal({ sessionId: uuid(501), version: 1, deleted: false });
    });

    it('keeps nothing written in a unit of work that throws', async () => {
      await upsert(anEntry());
      await runAndThrow(fixture.uow, async ({ programme }) => {
        await programme.upsert(anEntry({ sessionId: uuid(501) }));
        await programme.removeSession(uuid(500));
        await programme.saveWatermark({ sessionId: uuid(500), version: 9, deleted: true });
      });
      expect(await listed(uuid(1))).to.deep.equal([uuid(500)]);
      expect(await fixture.uow.run(({ programme }) => programme.watermark(uuid(500)))).to.equal(null);
    });
  });
}
