import { expect } from 'chai';
import sinon from 'sinon';
import { DomainError, err, unwrap, type Result } from '@conference/kernel';
import type { SessionChangedData } from '@conference/messages';
import type { SessionSummary } from '../domain/programme.js';
import { LinkSession } from './link-session.js';
import { UseCaseKit } from '../testing/use-case-kit.js';
import { uuid } from '../testing/contract-support.js';

const failure = <T>(result: Result<T, DomainError>): DomainError => {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
};

const session = (overrides: Partial<SessionSummary> = {}): SessionSummary => ({
  sessionId: uuid(500),
  eventId: null,
  title: 'Keynote',
  startsAt: new Date('2027-01-17T09:30:00.000Z'),
  endsAt: new Date('2027-01-17T10:15:00.000Z'),
  room: 'Room 1',
  version: 1,
  ...overrides,
});

const changed = (s: SessionSummary): SessionChangedData => ({
  sessionId: s.sessionId,
  eventId: s.eventId,
  title: s.title,
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  room: s.room,
  speakerIds: [],
  version: s.version,
});

describe('Programme', () => {
  let kit: UseCaseKit;
  beforeEach(() => {
    kit = new UseCaseKit();
  });

  const schedule = async (eventId: string) => unwrap(await kit.getSchedule.execute({ actor: kit.admin, eventId })).sessions;
  const project = (s: SessionSummary, messageId = kit.nextDelivery()) => kit.projectSessionChanged.execute({ messageId, data: changed(s) });

  describe('LinkSession', () => {
    it('adds an existing standalone session, checked with the session service, and is idempotent', async () => {
      const event = await kit.published();
      kit.directory.put(session());
      const first = unwrap(await kit.linkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }));
      expect(first).to.deep.equal({
        added: true,
        entry: { sessionId: uuid(500), title: 'Keynote', startsAt: '2027-01-17T09:30:00.000Z', endsAt: '2027-01-17T10:15:00.000Z', room: 'Room 1', version: 1, linkedManually: true },
      });
      const again = unwrap(await kit.linkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }));
      expect(again).to.deep.equal({ ...first, added: false });
      expect(await schedule(event.id)).to.have.length(1);
    });

    it('answers 422 EVENT.SESSION_NOT_FOUND for an unknown session', async () => {
      const event = await kit.published();
      const error = failure(await kit.linkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(501) }));
      expect(error).to.include({ code: 'EVENT.SESSION_NOT_FOUND', kind: 'unprocessable' });
      expect(failure(await kit.linkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: 'x' }))).to.include({ code: 'EVENT.SESSION_NOT_FOUND' });
      expect(await schedule(event.id)).to.deep.equal([]);
    });

    it('answers unavailable when the session service cannot be reached, writing nothing', async () => {
      const event = await kit.published();
      kit.directory.put(session());
      kit.directory.reachable = false;
      const error = failure(await kit.linkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }));
      expect(error).to.include({ code: 'EVENT.SESSION_DIRECTORY_UNAVAILABLE', kind: 'unavailable' });
      expect(await schedule(event.id)).to.deep.equal([]);
    });

    it('passes on whatever the directory answers, and does not ask it for someone else’s event', async () => {
      const event = await kit.published();
      const validateSession = sinon.stub<[string], Promise<Result<SessionSummary, DomainError>>>().resolves(err(DomainError.unavailable('EVENT.SESSION_DIRECTORY_UNAVAILABLE', 'circuit open')));
      const link = new LinkSession(kit.store.uow, { validateSession });
      expect(failure(await link.execute({ actor: kit.otherOrganizer, eventId: event.id, sessionId: uuid(500) }))).to.include({ code: 'EVENT.FORBIDDEN' });
      expect(validateSession.called).to.equal(false);
      expect(failure(await link.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }))).to.include({ kind: 'unavailable' });
      expect(validateSession.calledOnceWithExactly(uuid(500))).to.equal(true);
    });

    it('refuses a session that belongs to another event', async () => {
      const event = await kit.published();
      kit.directory.put(session({ eventId: uuid(4242) }));
      expect(failure(await kit.linkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }))).to.include({
        code: 'EVENT.SESSION_OF_ANOTHER_EVENT',
        kind: 'conflict',
      });
    });
  });

  describe('UnlinkSession', () => {
    it('removes a manually linked session, and succeeds again when it is already gone', async () => {
      const event = await kit.published();
      kit.directory.put(session());
      await kit.linkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) });
      expect(unwrap(await kit.unlinkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }))).to.deep.equal({ removed: true });
      expect(unwrap(await kit.unlinkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }))).to.deep.equal({ removed: false });
      expect(await schedule(event.id)).to.deep.equal([]);
    });

    it('does not unlink a session created for the event, nor let others unlink', async () => {
      const event = await kit.published();
      await project(session({ eventId: event.id }));
      expect(failure(await kit.unlinkSession.execute({ actor: kit.organizer, eventId: event.id, sessionId: uuid(500) }))).to.include({ code: 'EVENT.SESSION_OWNED_BY_EVENT' });
      expect(failure(await kit.unlinkSession.execute({ actor: kit.otherOrganizer, eventId: event.id, sessionId: uuid(500) }))).to.include({ code: 'EVENT.FORBIDDEN' });
      expect(await schedule(event.id)).to.have.length(1);
    });
  });

  describe('ProjectSessionChanged', () => {
    it('adds a session created for an event we know, and ignores one for an event we do not', async () => {
      const event = await kit.published();
      expect(unwrap(await project(session({ eventId: event.id })))).to.deep.include({ outcome: 'applied', eventIds: [event.id] });
      expect(unwrap(await project(session({ sessionId: uuid(501), eventId: uuid(4242) })))).to.deep.include({ eventIds: [] });
      expect(await schedule(event.id)).to.deep.equal([
        { sessionId: uuid(500), title: 'Keynote', startsAt: '2027-01-17T09:30:00.000Z', endsAt: '2027-01-17T10:15:00.000Z', room: 'Room 1', version: 1, linkedManually: false },
      ]);
      expect(kit.store.state.programme.size).to.equal(1);
    });

    it('keeps title, time and room in step in every event that lists the session', async () => {
      const own = await kit.published({ title: 'Own' });
      const other = await kit.published({ title: 'Other' });
      await project(session({ eventId: null }));
      kit.directory.put(session({ version: 1 }));
      await kit.linkSession.execute({ actor: kit.organizer, eventId: own.id, sessionId: uuid(500) });
      await kit.linkSession.execute({ actor: kit.organizer, eventId: other.id, sessionId: uuid(500) });
      const moved = session({ title: 'Keynote (moved)', room: 'Main hall', startsAt: new Date('2027-01-17T11:00:00.000Z'), endsAt: new Date('2027-01-17T12:00:00.000Z'), version: 2 });
      const result = unwrap(await project(moved));
      expect(result.duplicate === false && [...result.eventIds].sort()).to.deep.equal([own.id, other.id].sort());
      for (const id of [own.id, other.id]) {
        expect(await schedule(id)).to.deep.equal([
          { sessionId: uuid(500), title: 'Keynote (moved)', startsAt: '2027-01-17T11:00:00.000Z', endsAt: '2027-01-17T12:00:00.000Z', room: 'Main hall', version: 2, linkedManually: true },
        ]);
      }
    });

    it('ignores a session.updated older than what it holds (out of order)', async () => {
      const event = await kit.published();
      await project(session({ eventId: event.id, version: 1 }));
      await project(session({ eventId: event.id, title: 'Version 3', version: 3 }));
      const late = unwrap(await project(session({ eventId: event.id, title: 'Version 2', version: 2 })));
      expect(late).to.deep.include({ outcome: 'stale' });
      expect((await schedule(event.id))[0]).to.include({ title: 'Version 3', version: 3 });
    });

    it('ignores news of a version it already holds, even under another message id', async () => {
      const event = await kit.published();
      await project(session({ eventId: event.id, title: 'First', version: 2 }));
      expect(unwrap(await project(session({ eventId: event.id, title: 'Same version', version: 2 })))).to.deep.include({ outcome: 'stale' });
      expect((await schedule(event.id)).map((e) => e.title)).to.deep.equal(['First']);
    });

    it('uses an update that overtook the creation, and then ignores the creation', async () => {
      const event = await kit.published();
      await project(session({ eventId: event.id, title: 'Updated', version: 2 }));
      expect(unwrap(await project(session({ eventId: event.id, title: 'Created', version: 1 })))).to.deep.include({ outcome: 'stale' });
      expect((await schedule(event.id)).map((e) => e.title)).to.deep.equal(['Updated']);
    });

    it('moves a session created for one event when it is given to another', async () => {
      const first = await kit.published({ title: 'First' });
      const second = await kit.published({ title: 'Second' });
      await project(session({ eventId: first.id, version: 1 }));
      await project(session({ eventId: second.id, version: 2 }));
      expect(await schedule(first.id)).to.deep.equal([]);
      expect((await schedule(second.id)).map((e) => e.sessionId)).to.deep.equal([uuid(500)]);
    });

    it('ignores the same message delivered twice', async () => {
      const event = await kit.published();
      await project(session({ eventId: event.id }), uuid(9999));
      await kit.store.uow.run(({ programme }) => programme.removeEvent(event.id));
      expect(unwrap(await project(session({ eventId: event.id }), uuid(9999)))).to.deep.equal({ duplicate: true });
      expect(await schedule(event.id)).to.deep.equal([]);
    });
  });

  describe('ProjectSessionDeleted', () => {
    it('removes the session from every programme and keeps it out when older news arrives late', async () => {
      const a = await kit.published({ title: 'A' });
      const b = await kit.published({ title: 'B' });
      await project(session({ eventId: a.id, version: 1 }));
      kit.directory.put(session({ eventId: null, version: 1 }));
      await project(session({ sessionId: uuid(501), eventId: b.id }));
      await project(session({ eventId: null, version: 2 }));
      kit.directory.put(session({ eventId: null, version: 2 }));
      await kit.linkSession.execute({ actor: kit.organizer, eventId: b.id, sessionId: uuid(500) });
      expect((await schedule(b.id)).map((e) => e.sessionId)).to.deep.equal([uuid(500), uuid(501)]);

      const deleted = unwrap(await kit.projectSessionDeleted.execute({ messageId: kit.nextDelivery(), data: { sessionId: uuid(500), eventId: null, version: 3 } }));
      expect(deleted).to.deep.equal({ duplicate: false, eventIds: [b.id] });
      expect(await schedule(a.id)).to.deep.equal([]);
      expect((await schedule(b.id)).map((e) => e.sessionId)).to.deep.equal([uuid(501)]);

      expect(unwrap(await project(session({ eventId: a.id, version: 2 })))).to.deep.include({ outcome: 'stale' });
      expect(unwrap(await project(session({ eventId: a.id, version: 9 })))).to.deep.include({ outcome: 'stale' });
      expect(await schedule(a.id)).to.deep.equal([]);
      kit.directory.remove(uuid(500));
      expect(failure(await kit.linkSession.execute({ actor: kit.organizer, eventId: a.id, sessionId: uuid(500) }))).to.include({ code: 'EVENT.SESSION_NOT_FOUND' });
    });
  });

  describe('GetSchedule', () => {
    it('lists sessions by start time, and hides a draft’s schedule from others', async () => {
      const event = await kit.published();
      await project(session({ sessionId: uuid(502), eventId: event.id, title: 'Late', startsAt: new Date('2027-01-17T15:00:00Z'), endsAt: new Date('2027-01-17T16:00:00Z') }));
      await project(session({ sessionId: uuid(501), eventId: event.id, title: 'Early', startsAt: new Date('2027-01-17T09:00:00Z'), endsAt: new Date('2027-01-17T10:00:00Z') }));
      const result = unwrap(await kit.getSchedule.execute({ actor: null, eventId: event.id }));
      expect(result.event.id).to.equal(event.id);
      expect(result.sessions.map((s) => s.title)).to.deep.equal(['Early', 'Late']);
      const detail = unwrap(await kit.getEvent.execute({ actor: null, eventId: event.id }));
      expect(detail.schedule.map((s) => s.title)).to.deep.equal(['Early', 'Late']);
      const draft = await kit.draft();
      expect(failure(await kit.getSchedule.execute({ actor: kit.attendee(1), eventId: draft.id }))).to.include({ code: 'EVENT.NOT_FOUND' });
    });
  });
});
