import { expect } from 'chai';
import type { Speaker } from '../domain/speaker.js';
import { actors, failure, makeHarness, value, type Harness } from './use-case-harness.js';

describe('DeleteSpeaker', () => {
  let h: Harness;
  let speaker: Speaker;
  beforeEach(async () => {
    h = makeHarness();
    speaker = value(await h.createSpeaker.execute({ actor: actors.organizer, name: 'Ada', userId: actors.attendee.userId }));
  });

  for (const [who, actor] of [['an admin', actors.admin], ['the organizer who created it', actors.organizer]] as const) {
    it(`lets ${who} delete it, publishing exactly one speaker.deleted`, async () => {
      expect(value(await h.deleteSpeaker.execute({ actor, speakerId: speaker.id }))).to.deep.equal({ speakerId: speaker.id });
      expect(h.store.speakers()).to.deep.equal([]);
      const outbox = h.store.outbox();
      expect(outbox.map((m) => m.envelope.type)).to.deep.equal(['speaker.created', 'speaker.deleted']);
      expect(outbox[1]!.aggregateId).to.equal(speaker.id);
      expect(outbox[1]!.envelope.data).to.deep.equal({ speakerId: speaker.id });
      expect(h.published()).to.have.length(2);
    });
  }

  for (const [who, actor] of [['the linked user', actors.attendee], ['another organizer', actors.otherOrganizer], ['another attendee', actors.otherAttendee]] as const) {
    it(`forbids ${who}`, async () => {
      expect(failure(await h.deleteSpeaker.execute({ actor, speakerId: speaker.id }))).to.include({ code: 'SPEAKER.DELETE_FORBIDDEN', kind: 'forbidden' });
      expect(h.store.speakers()).to.have.length(1);
      expect(h.store.outbox()).to.have.length(1);
    });
  }

  it('frees the linked user for a new profile', async () => {
    value(await h.deleteSpeaker.execute({ actor: actors.admin, speakerId: speaker.id }));
    expect(value(await h.createSpeaker.execute({ actor: actors.attendee, name: 'Me' })).userId).to.equal(actors.attendee.userId);
  });

  it('refuses a delete based on a version that is no longer current', async () => {
    value(await h.updateSpeaker.execute({ actor: actors.admin, speakerId: speaker.id, expectedVersion: 1, changes: { name: 'Renamed' } }));
    expect(failure(await h.deleteSpeaker.execute({ actor: actors.admin, speakerId: speaker.id, expectedVersion: 1 }))).to.include({ code: 'SPEAKER.STALE_VERSION', kind: 'conflict' });
    expect(value(await h.deleteSpeaker.execute({ actor: actors.admin, speakerId: speaker.id, expectedVersion: 2 })).speakerId).to.equal(speaker.id);
  });

  it('answers not found for an unknown, already deleted or malformed id', async () => {
    value(await h.deleteSpeaker.execute({ actor: actors.admin, speakerId: speaker.id }));
    for (const speakerId of [speaker.id, '5b0c0000-0000-4000-8000-0000000000ff', '../etc']) {
      expect(failure(await h.deleteSpeaker.execute({ actor: actors.admin, speakerId })).code).to.equal('SPEAKER.NOT_FOUND');
    }
    expect(h.store.outbox()).to.have.length(2);
  });
});
