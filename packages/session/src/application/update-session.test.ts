import { expect } from 'chai';
import { StaleVersionError, type DomainError, type Result } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import { admin, at, attendee, eventId, makeTestbed, organizer, otherOrganizer, speakerId, type Testbed } from './testbed.js';

const failure = <T>(result: Result<T, DomainError>): DomainError => {
  expect(result.ok, 'expected a failure').to.equal(false);
  return (result as { error: DomainError }).error;
};

describe('UpdateSession', () => {
  let t: Testbed;
  let session: Session;
  beforeEach(async () => {
    t = makeTestbed();
    session = await t.given({ speakerIds: [speakerId(1)] });
    t.clock.advance(60_000);
  });

  it('lets the owner change fields, bumps the version and publishes session.updated', async () => {
    const result = await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { title: 'Renamed', room: 'Room B' } });
    expect(result.ok).to.equal(true);
    const stored = await t.stored(session.id);
    expect(stored).to.deep.include({ title: 'Renamed', room: 'Room B', version: 2, abstract: 'A tour' });
    expect(stored?.updatedAt.toISOString()).to.equal('2026-03-01T08:01:00.000Z');
    expect(stored?.createdAt.toISOString()).to.equal('2026-03-01T08:00:00.000Z');
    expect(t.types()).to.deep.equal(['session.created', 'session.updated']);
    expect(t.outbox()[1]!.envelope.data).to.deep.include({ sessionId: session.id, title: 'Renamed', room: 'Room B', version: 2 });
  });

  it('lets an admin change someone else\'s session', async () => {
    expect((await t.update.execute({ actor: admin, sessionId: session.id, expectedVersion: 1, changes: { title: 'By admin' } })).ok).to.equal(true);
  });

  it('refuses another organizer and an attendee, and changes nothing', async () => {
    for (const actor of [otherOrganizer, attendee]) {
      expect(failure(await t.update.execute({ actor, sessionId: session.id, expectedVersion: 1, changes: { title: 'Mine now' } })).code).to.equal('SESSION.FORBIDDEN');
    }
    expect((await t.stored(session.id))?.title).to.equal('Typed actors');
    expect(t.types()).to.deep.equal(['session.created']);
  });

  it('refuses a stale version with a conflict and keeps the newer change', async () => {
    await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { title: 'First' } });
    const error = failure(await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { title: 'Second' } }));
    expect(error).to.deep.include({ code: 'SESSION.STALE_VERSION', kind: 'conflict' });
    expect(await t.stored(session.id)).to.deep.include({ title: 'First', version: 2 });
  });

  it('turns a version that changed between its read and its write into a conflict, and publishes nothing', async () => {
    t = makeTestbed({
      decorate: (scope) => ({
        ...scope,
        sessions: Object.assign(Object.create(scope.sessions) as typeof scope.sessions, {
          update: async (s: Session) => { throw new StaleVersionError('session', s.id); },
        }),
      }),
    });
    session = await t.given();
    const error = failure(await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { title: 'Lost' } }));
    expect(error.code).to.equal('SESSION.STALE_VERSION');
    expect(t.types()).to.deep.equal(['session.created']);
  });

  it('answers not found for an unknown or malformed id', async () => {
    for (const id of ['5e550000-0000-4000-8000-0000000000ff', 'not-a-uuid']) {
      expect(failure(await t.update.execute({ actor: admin, sessionId: id, expectedVersion: 1, changes: { title: 'x' } })).code).to.equal('SESSION.NOT_FOUND');
    }
  });

  it('does not clash with its own old slot when it moves within it', async () => {
    const result = await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { startsAt: at('10:30'), endsAt: at('11:30') } });
    expect(result.ok).to.equal(true);
    expect((await t.stored(session.id))?.startsAt.toISOString()).to.equal('2026-05-04T10:30:00.000Z');
  });

  it('refuses a move onto a slot where a speaker or the room is taken', async () => {
    await t.given({ room: 'Room B', startsAt: at('12:00'), endsAt: at('13:00'), speakerIds: [speakerId(1)] });
    await t.given({ startsAt: at('14:00'), endsAt: at('15:00') });
    const speakerClash = await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { startsAt: at('12:30'), endsAt: at('13:30') } });
    expect(failure(speakerClash).code).to.equal('SESSION.SPEAKER_DOUBLE_BOOKED');
    const roomClash = await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { startsAt: at('14:00'), endsAt: at('15:00') } });
    expect(failure(roomClash).code).to.equal('SESSION.ROOM_DOUBLE_BOOKED');
    const roomRename = await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { room: 'ROOM b', startsAt: at('12:00'), endsAt: at('12:30'), speakerIds: [] } });
    expect(failure(roomRename).code).to.equal('SESSION.ROOM_DOUBLE_BOOKED');
    expect(await t.stored(session.id)).to.deep.include({ version: 1, room: 'Room A' });
    // A move to a touching slot is fine.
    expect((await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { startsAt: at('13:00'), endsAt: at('14:00') } })).ok).to.equal(true);
  });

  it('checks the combined result of partial time changes', async () => {
    expect(failure(await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { endsAt: at('09:00') } })).code).to.equal(
      'SESSION.ENDS_BEFORE_START',
    );
    expect(failure(await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { endsAt: at('11:00', '2026-05-05') } })).code).to.equal(
      'SESSION.TOO_LONG',
    );
  });

  it('asks the speaker service only about speakers it adds, and refuses unknown ones with 422', async () => {
    const ghost = speakerId(77);
    const error = failure(await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { speakerIds: [speakerId(1), ghost] } }));
    expect(error).to.deep.include({ code: 'SESSION.UNKNOWN_SPEAKER', kind: 'unprocessable' });
    expect(error.issues).to.deep.equal([{ path: 'speakerIds[1]', message: `no speaker with id ${ghost}` }]);
    expect(t.directory.requests.at(-1)).to.deep.equal([ghost]);
  });

  it('needs the speaker service only when it adds speakers', async () => {
    t.directory.setReachable(false);
    expect((await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { title: 'Offline edit', speakerIds: [] } })).ok).to.equal(true);
    const error = failure(await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 2, changes: { speakerIds: [speakerId(2)] } }));
    expect(error.kind).to.equal('unavailable');
    expect((await t.stored(session.id))?.speakerIds).to.deep.equal([]);
  });

  it('writes and publishes nothing when nothing changes', async () => {
    const result = await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { title: ' Typed actors ', room: 'Room A', speakerIds: [speakerId(1)] } });
    expect(result.ok && result.value.version).to.equal(1);
    expect(t.types()).to.deep.equal(['session.created']);
  });

  it('keeps the event it was created for', async () => {
    await t.update.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1, changes: { title: 'x' } });
    expect((await t.stored(session.id))?.eventId).to.equal(eventId(1));
  });
});
