import { expect } from 'chai';
import { unwrap, type DomainError, type Result } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import { admin, at, attendee, makeTestbed, organizer, otherOrganizer, speakerId, speakers, type Testbed } from './testbed.js';

const failure = <T>(result: Result<T, DomainError>): DomainError => {
  expect(result.ok, 'expected a failure').to.equal(false);
  return (result as { error: DomainError }).error;
};

describe('AddSpeaker', () => {
  let t: Testbed;
  let session: Session;
  beforeEach(async () => {
    t = makeTestbed();
    session = await t.given({ speakerIds: [speakerId(1)] });
  });

  it('adds a speaker at the end, bumps the version and publishes session.updated', async () => {
    const result = await t.addSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: speakerId(2) });
    expect(result.ok && result.value.speakerIds).to.deep.equal([speakerId(1), speakerId(2)]);
    expect(await t.stored(session.id)).to.deep.include({ version: 2 });
    expect(t.types()).to.deep.equal(['session.created', 'session.updated']);
    expect(t.outbox()[1]!.envelope.data).to.deep.include({ speakerIds: [speakerId(1), speakerId(2)], version: 2 });
  });

  it('refuses a speaker already in the session', async () => {
    expect(failure(await t.addSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: speakerId(1) }))).to.deep.include({
      code: 'SESSION.SPEAKER_ALREADY_IN_SESSION',
      kind: 'conflict',
    });
  });

  it('refuses an unknown speaker with 422 naming the id, and fails unavailable when the directory is down', async () => {
    const ghost = speakerId(42);
    const unknown = failure(await t.addSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: ghost }));
    expect(unknown).to.deep.include({ code: 'SESSION.UNKNOWN_SPEAKER', kind: 'unprocessable' });
    expect(unknown.issues).to.deep.equal([{ path: 'speakerId', message: `no speaker with id ${ghost}` }]);
    t.directory.setReachable(false);
    expect(failure(await t.addSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: speakerId(2) })).kind).to.equal('unavailable');
    expect(await t.stored(session.id)).to.deep.include({ version: 1 });
  });

  it('refuses a speaker who is in an overlapping session elsewhere', async () => {
    const other = await t.given({ eventId: null, startsAt: at('10:59'), endsAt: at('12:00'), speakerIds: [speakerId(2)] });
    const error = failure(await t.addSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: speakerId(2) }));
    expect(error.code).to.equal('SESSION.SPEAKER_DOUBLE_BOOKED');
    expect(error.message).to.include(other.id);
    expect(error.issues[0]!.path).to.equal('speakerId');
  });

  it('refuses a 21st speaker', async () => {
    for (let n = 10; n < 30; n++) t.directory.add({ ...speakers[0]!, id: speakerId(n) });
    const full = await t.given({ room: 'Room F', speakerIds: Array.from({ length: 20 }, (_, i) => speakerId(i + 10)) });
    expect(failure(await t.addSpeaker.execute({ actor: organizer, sessionId: full.id, speakerId: speakerId(3) })).code).to.equal('SESSION.TOO_MANY_SPEAKERS');
  });

  it('is for the owner and admins only, and honours an expected version', async () => {
    for (const actor of [otherOrganizer, attendee]) {
      expect(failure(await t.addSpeaker.execute({ actor, sessionId: session.id, speakerId: speakerId(2) })).code).to.equal('SESSION.FORBIDDEN');
    }
    expect(failure(await t.addSpeaker.execute({ actor: admin, sessionId: session.id, speakerId: speakerId(2), expectedVersion: 5 })).code).to.equal('SESSION.STALE_VERSION');
    expect((await t.addSpeaker.execute({ actor: admin, sessionId: session.id, speakerId: speakerId(2), expectedVersion: 1 })).ok).to.equal(true);
  });
});

describe('RemoveSpeaker', () => {
  let t: Testbed;
  let session: Session;
  beforeEach(async () => {
    t = makeTestbed();
    session = await t.given({ speakerIds: [speakerId(1), speakerId(2)] });
  });

  it('removes the speaker, bumps the version and publishes session.updated', async () => {
    const result = await t.removeSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: speakerId(1) });
    expect(unwrap(result).speakerIds).to.deep.equal([speakerId(2)]);
    expect(await t.stored(session.id)).to.deep.include({ version: 2 });
    expect(t.types()).to.deep.equal(['session.created', 'session.updated']);
  });

  it('answers not found for a speaker who is not in the session, and changes nothing', async () => {
    expect(failure(await t.removeSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: speakerId(3) }))).to.deep.include({
      code: 'SESSION.SPEAKER_NOT_IN_SESSION',
      kind: 'not_found',
    });
    expect(t.types()).to.deep.equal(['session.created']);
  });

  it('works while the speaker service is down (removal needs no lookup)', async () => {
    t.directory.setReachable(false);
    expect((await t.removeSpeaker.execute({ actor: organizer, sessionId: session.id, speakerId: speakerId(2) })).ok).to.equal(true);
  });

  it('is for the owner and admins only, and honours an expected version', async () => {
    expect(failure(await t.removeSpeaker.execute({ actor: otherOrganizer, sessionId: session.id, speakerId: speakerId(1) })).code).to.equal('SESSION.FORBIDDEN');
    expect(failure(await t.removeSpeaker.execute({ actor: admin, sessionId: session.id, speakerId: speakerId(1), expectedVersion: 2 })).code).to.equal('SESSION.STALE_VERSION');
    expect((await t.removeSpeaker.execute({ actor: admin, sessionId: session.id, speakerId: speakerId(1), expectedVersion: 1 })).ok).to.equal(true);
  });
});
