import { expect } from 'chai';
import type { DomainError, Result } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import { admin, attendee, eventId, makeTestbed, organizer, otherOrganizer, speakerId, type Testbed } from './testbed.js';

const failure = <T>(result: Result<T, DomainError>): DomainError => {
  expect(result.ok, 'expected a failure').to.equal(false);
  return (result as { error: DomainError }).error;
};

describe('DeleteSession', () => {
  let t: Testbed;
  let session: Session;
  beforeEach(async () => {
    t = makeTestbed();
    session = await t.given({ speakerIds: [speakerId(1)] });
  });

  it('lets the owner delete and publishes session.deleted with the next version', async () => {
    expect(await t.remove.execute({ actor: organizer, sessionId: session.id })).to.deep.equal({ ok: true, value: { sessionId: session.id } });
    expect(await t.stored(session.id)).to.equal(null);
    expect(t.types()).to.deep.equal(['session.created', 'session.deleted']);
    expect(t.outbox()[1]!.envelope.data).to.deep.equal({ sessionId: session.id, eventId: eventId(1), version: 2 });
  });

  it('frees the slot of its speakers and room', async () => {
    await t.remove.execute({ actor: organizer, sessionId: session.id });
    expect((await t.create.execute(t.draft({ speakerIds: [speakerId(1)] }))).ok).to.equal(true);
  });

  it('lets an admin delete; refuses another organizer and an attendee', async () => {
    for (const actor of [otherOrganizer, attendee]) expect(failure(await t.remove.execute({ actor, sessionId: session.id })).code).to.equal('SESSION.FORBIDDEN');
    expect(await t.stored(session.id)).to.not.equal(null);
    expect((await t.remove.execute({ actor: admin, sessionId: session.id })).ok).to.equal(true);
  });

  it('refuses a stale expected version and deletes with the current one', async () => {
    expect(failure(await t.remove.execute({ actor: organizer, sessionId: session.id, expectedVersion: 2 })).code).to.equal('SESSION.STALE_VERSION');
    expect(await t.stored(session.id)).to.not.equal(null);
    expect((await t.remove.execute({ actor: organizer, sessionId: session.id, expectedVersion: 1 })).ok).to.equal(true);
  });

  it('answers not found for an unknown, malformed or already deleted session', async () => {
    await t.remove.execute({ actor: organizer, sessionId: session.id });
    for (const id of [session.id, 'nope']) expect(failure(await t.remove.execute({ actor: organizer, sessionId: id })).code).to.equal('SESSION.NOT_FOUND');
    expect(t.types()).to.deep.equal(['session.created', 'session.deleted']);
  });
});
