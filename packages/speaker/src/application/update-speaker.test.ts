import { expect } from 'chai';
import sinon from 'sinon';
import { StaleVersionError, type Actor } from '@conference/kernel';
import type { Speaker } from '../domain/speaker.js';
import { actors, failure, makeHarness, value, type Harness } from './use-case-harness.js';

describe('UpdateSpeaker', () => {
  let h: Harness;
  let speaker: Speaker;
  beforeEach(async () => {
    h = makeHarness();
    // Created by the organizer, linked to the attendee.
    speaker = value(await h.createSpeaker.execute({ actor: actors.organizer, name: 'Ada', headline: 'Analyst', userId: actors.attendee.userId }));
    h.clock.advance(60_000);
  });

  const rename = (actor: Actor, name = 'Ada Lovelace', expectedVersion = 1) =>
    h.updateSpeaker.execute({ actor, speakerId: speaker.id, expectedVersion, changes: { name } });

  describe('who may change a profile', () => {
    for (const [who, actor] of [['an admin', actors.admin], ['the organizer who created it', actors.organizer], ['the linked user', actors.attendee]] as const) {
      it(`lets ${who} change it`, async () => {
        const updated = value(await rename(actor));
        expect(updated).to.include({ name: 'Ada Lovelace', headline: 'Analyst', version: 2 });
        expect(updated.updatedAt.toISOString()).to.equal('2026-03-01T10:01:00.000Z');
        expect(updated.createdAt.toISOString()).to.equal('2026-03-01T10:00:00.000Z');
      });
    }

    for (const [who, actor] of [['another organizer', actors.otherOrganizer], ['another attendee', actors.otherAttendee]] as const) {
      it(`forbids ${who}, and changes nothing`, async () => {
        expect(failure(await rename(actor))).to.include({ code: 'SPEAKER.CHANGE_FORBIDDEN', kind: 'forbidden' });
        expect(h.store.speakers()).to.deep.equal([speaker]);
        expect(h.store.outbox()).to.have.length(1);
      });
    }

    it('lets an attendee who created their own profile edit it as its linked user', async () => {
      const own = value(await h.createSpeaker.execute({ actor: actors.otherAttendee, name: 'Me' }));
      const updated = value(await h.updateSpeaker.execute({ actor: actors.otherAttendee, speakerId: own.id, expectedVersion: 1, changes: { bio: 'hello' } }));
      expect(updated.bio).to.equal('hello');
    });

    it('forbids the linked user to hand the profile to someone else or unlink it', async () => {
      for (const userId of [actors.otherAttendee.userId, null]) {
        const error = failure(await h.updateSpeaker.execute({ actor: actors.attendee, speakerId: speaker.id, expectedVersion: 1, changes: { userId } }));
        expect(error).to.include({ code: 'SPEAKER.LINK_FORBIDDEN', kind: 'forbidden' });
      }
      expect(h.store.speakers()).to.deep.equal([speaker]);
    });

    it('lets the linked user send their own user id back unchanged', async () => {
      const updated = value(await h.updateSpeaker.execute({ actor: actors.attendee, speakerId: speaker.id, expectedVersion: 1, changes: { userId: actors.attendee.userId, company: 'Engines' } }));
      expect(updated).to.include({ userId: actors.attendee.userId, company: 'Engines', version: 2 });
    });

    it('lets the creating organizer relink the profile to another user', async () => {
      const updated = value(await h.updateSpeaker.execute({ actor: actors.organizer, speakerId: speaker.id, expectedVersion: 1, changes: { userId: actors.otherAttendee.userId } }));
      expect(updated.userId).to.equal(actors.otherAttendee.userId);
      // The new owner may edit it now; the old one may not.
      expect(value(await rename(actors.otherAttendee, 'Ada L.', 2)).name).to.equal('Ada L.');
      expect(failure(await rename(actors.attendee, 'Mine', 3)).code).to.equal('SPEAKER.CHANGE_FORBIDDEN');
    });
  });

  it('publishes exactly one speaker.updated with the new version', async () => {
    value(await h.updateSpeaker.execute({ actor: actors.admin, speakerId: speaker.id, expectedVersion: 1, changes: { company: 'Engines Ltd', links: [{ label: 'Site', url: 'http://ada.example' }] } }));
    const outbox = h.store.outbox();
    expect(outbox.map((m) => m.envelope.type)).to.deep.equal(['speaker.created', 'speaker.updated']);
    expect(outbox[1]!.aggregateId).to.equal(speaker.id);
    expect(outbox[1]!.envelope.data).to.deep.equal({
      speakerId: speaker.id, name: 'Ada', headline: 'Analyst', company: 'Engines Ltd', userId: actors.attendee.userId, version: 2,
    });
    expect(h.published()).to.have.length(2);
  });

  it('stores nothing new and publishes nothing for a change that changes nothing', async () => {
    const same = value(await h.updateSpeaker.execute({ actor: actors.admin, speakerId: speaker.id, expectedVersion: 1, changes: { name: ' Ada ', headline: 'Analyst' } }));
    expect(same).to.deep.equal(speaker);
    expect(h.store.speakers()).to.deep.equal([speaker]);
    expect(h.store.outbox()).to.have.length(1);
  });

  it('answers a stale version with a conflict and keeps the newer change', async () => {
    value(await rename(actors.admin, 'First writer', 1));
    const error = failure(await rename(actors.organizer, 'Second writer', 1));
    expect(error).to.include({ code: 'SPEAKER.STALE_VERSION', kind: 'conflict' });
    expect(h.store.speakers()[0]).to.include({ name: 'First writer', version: 2 });
    expect(h.store.outbox()).to.have.length(2);
  });

  it('turns a race lost inside the repository (StaleVersionError on write) into a conflict', async () => {
    const racing = makeHarness({
      decorate: (scope) => {
        sinon.stub(scope.speakers, 'update').rejects(new StaleVersionError('speaker', 'x'));
        return scope;
      },
    });
    const created = value(await racing.createSpeaker.execute({ actor: actors.admin, name: 'Ada' }));
    const error = failure(await racing.updateSpeaker.execute({ actor: actors.admin, speakerId: created.id, expectedVersion: 1, changes: { name: 'B' } }));
    expect(error.code).to.equal('SPEAKER.STALE_VERSION');
    expect(racing.store.outbox()).to.have.length(1);
  });

  it('refuses to link a user who already has another profile', async () => {
    const other = value(await h.createSpeaker.execute({ actor: actors.otherAttendee, name: 'Other' }));
    const error = failure(await h.updateSpeaker.execute({ actor: actors.organizer, speakerId: speaker.id, expectedVersion: 1, changes: { userId: other.userId } }));
    expect(error).to.include({ code: 'SPEAKER.USER_ALREADY_LINKED', kind: 'conflict' });
  });

  it('refuses a javascript: link and an empty name', async () => {
    const error = failure(await h.updateSpeaker.execute({ actor: actors.admin, speakerId: speaker.id, expectedVersion: 1, changes: { name: '', links: [{ label: 'x', url: 'JavaScript:alert(1)' }] } }));
    expect(error.code).to.equal('SPEAKER.INVALID');
    expect(error.issues.map((i) => i.path)).to.deep.equal(['name', 'links[0].url']);
  });

  it('answers not found for an unknown or malformed id', async () => {
    for (const speakerId of ['5b0c0000-0000-4000-8000-0000000000ff', 'nope']) {
      const error = failure(await h.updateSpeaker.execute({ actor: actors.admin, speakerId, expectedVersion: 1, changes: { name: 'x' } }));
      expect(error).to.include({ code: 'SPEAKER.NOT_FOUND', kind: 'not_found' });
    }
  });

  it('finds the speaker whatever the case of its id', async () => {
    const updated = value(await h.updateSpeaker.execute({ actor: actors.admin, speakerId: speaker.id.toUpperCase(), expectedVersion: 1, changes: { name: 'Upper' } }));
    expect(updated.id).to.equal(speaker.id);
  });
});
