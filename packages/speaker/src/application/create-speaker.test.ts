import { expect } from 'chai';
import sinon from 'sinon';
import type { OutgoingMessage } from '@conference/kernel';
import type { Speaker } from '../domain/speaker.js';
import { actors, failure, makeHarness, speakerIdNo, value, type Harness } from './use-case-harness.js';

describe('CreateSpeaker', () => {
  let h: Harness;
  beforeEach(() => { h = makeHarness(); });

  it('lets an organizer create a profile for anyone, stamped with creator, times and version 1', async () => {
    const speaker = value(await h.createSpeaker.execute({
      actor: actors.organizer,
      name: '  Ada Lovelace ',
      headline: 'Analyst',
      bio: 'First programmer',
      company: 'Engines Ltd',
      links: [{ label: 'Site', url: 'https://ada.example/' }],
      userId: actors.otherAttendee.userId,
    }));
    const expected: Speaker = {
      id: speakerIdNo(1),
      name: 'Ada Lovelace',
      headline: 'Analyst',
      bio: 'First programmer',
      company: 'Engines Ltd',
      links: [{ label: 'Site', url: 'https://ada.example/' }],
      userId: actors.otherAttendee.userId,
      createdBy: actors.organizer.userId,
      createdAt: new Date('2026-03-01T10:00:00.000Z'),
      updatedAt: new Date('2026-03-01T10:00:00.000Z'),
      version: 1,
    };
    expect(speaker).to.deep.equal(expected);
    expect(h.store.speakers()).to.deep.equal([expected]);
  });

  it('gives an organizer an unlinked profile when no user is named, with empty optional fields', async () => {
    const speaker = value(await h.createSpeaker.execute({ actor: actors.organizer, name: 'Guest' }));
    expect(speaker).to.include({ userId: null, headline: '', bio: '', company: '' });
    expect(speaker.links).to.deep.equal([]);
  });

  it('publishes exactly one speaker.created with the SpeakerChanged payload', async () => {
    const speaker = value(await h.createSpeaker.execute({ actor: actors.admin, name: 'Grace', headline: 'Admiral', company: 'Navy', bio: 'not published' }));
    const outbox = h.store.outbox();
    expect(outbox).to.have.length(1);
    expect(outbox[0]!.aggregateId).to.equal(speaker.id);
    expect(outbox[0]!.envelope).to.include({ type: 'speaker.created', source: 'speaker-service', occurredAt: '2026-03-01T10:00:00.000Z' });
    expect(outbox[0]!.envelope.data).to.deep.equal({ speakerId: speaker.id, name: 'Grace', headline: 'Admiral', company: 'Navy', userId: null, version: 1 });
    expect(h.published().map((m) => m.type)).to.deep.equal(['speaker.created']);
  });

  describe('who may create', () => {
    it('lets an attendee create their own profile, linked to them when no user is named', async () => {
      const implicit = value(await h.createSpeaker.execute({ actor: actors.attendee, name: 'Me' }));
      expect(implicit).to.include({ userId: actors.attendee.userId, createdBy: actors.attendee.userId });
      const other = makeHarness();
      const explicit = value(await other.createSpeaker.execute({ actor: actors.attendee, name: 'Me', userId: actors.attendee.userId.toUpperCase() }));
      expect(explicit.userId).to.equal(actors.attendee.userId);
    });

    it('forbids an attendee to create a profile for someone else or for nobody, and writes nothing', async () => {
      for (const userId of [actors.otherAttendee.userId, null]) {
        const error = failure(await h.createSpeaker.execute({ actor: actors.attendee, name: 'Not me', userId }));
        expect(error).to.include({ code: 'SPEAKER.CREATE_FORBIDDEN', kind: 'forbidden' });
      }
      expect(h.store.speakers()).to.deep.equal([]);
      expect(h.store.outbox()).to.deep.equal([]);
    });
  });

  describe('profile rules', () => {
    it('refuses a javascript: link, naming the field', async () => {
      const error = failure(await h.createSpeaker.execute({
        actor: actors.organizer,
        name: 'Mallory',
        links: [{ label: 'ok', url: 'https://fine.example' }, { label: 'click', url: 'javascript:alert(1)' }],
      }));
      expect(error).to.include({ code: 'SPEAKER.INVALID', kind: 'validation' });
      expect(error.issues).to.deep.equal([{ path: 'links[1].url', message: 'must be an http or https URL of at most 2000 characters' }]);
      expect(h.store.outbox()).to.deep.equal([]);
    });

    it('reports every broken field at once: empty name, long headline, too many links, bad user id', async () => {
      const error = failure(await h.createSpeaker.execute({
        actor: actors.organizer,
        name: '   ',
        headline: 'h'.repeat(201),
        links: Array.from({ length: 11 }, (_, i) => ({ label: `l${i}`, url: `https://l${i}.example` })),
        userId: 'not-a-uuid',
      }));
      expect(error.issues.map((i) => i.path)).to.deep.equal(['name', 'headline', 'links', 'userId']);
    });

    it('accepts every field at its upper limit', async () => {
      const result = await h.createSpeaker.execute({
        actor: actors.organizer,
        name: 'n'.repeat(200),
        headline: 'h'.repeat(200),
        bio: 'b'.repeat(5000),
        company: 'c'.repeat(200),
        links: Array.from({ length: 10 }, (_, i) => ({ label: 'l'.repeat(50), url: `https://x${i}.example/${'p'.repeat(1981)}` })),
      });
      expect(result.ok).to.equal(true);
    });
  });

  describe('one profile per user', () => {
    it('refuses a second profile for a user who has one, whoever asks', async () => {
      value(await h.createSpeaker.execute({ actor: actors.attendee, name: 'Me' }));
      const byThemselves = failure(await h.createSpeaker.execute({ actor: actors.attendee, name: 'Me again' }));
      const byOrganizer = failure(await h.createSpeaker.execute({ actor: actors.organizer, name: 'Them', userId: actors.attendee.userId }));
      for (const error of [byThemselves, byOrganizer]) expect(error).to.include({ code: 'SPEAKER.USER_ALREADY_LINKED', kind: 'conflict' });
      expect(h.store.speakers()).to.have.length(1);
      expect(h.store.outbox()).to.have.length(1);
    });

    it('turns a link made by a concurrent request (the repository refuses the insert) into a conflict', async () => {
      // The check before writing sees no profile; the store's unique rule then refuses the insert.
      const racing = makeHarness({
        decorate: (scope) => {
          sinon.stub(scope.speakers, 'findByUserId').resolves(null);
          return scope;
        },
      });
      value(await racing.createSpeaker.execute({ actor: actors.attendee, name: 'First' }));
      const error = failure(await racing.createSpeaker.execute({ actor: actors.organizer, name: 'Second', userId: actors.attendee.userId }));
      expect(error.code).to.equal('SPEAKER.USER_ALREADY_LINKED');
      expect(racing.store.speakers()).to.have.length(1);
      expect(racing.store.outbox()).to.have.length(1);
    });
  });

  it('leaves no speaker and no outbox message when the unit of work rolls back', async () => {
    // An outbox that records the message and then fails: the throw must undo the message and the insert.
    const failing = makeHarness({
      decorate: (scope) => ({
        ...scope,
        outbox: {
          add: async (...messages: OutgoingMessage[]) => {
            await scope.outbox.add(...messages);
            throw new Error('outbox table unavailable');
          },
        },
      }),
    });
    let thrown: unknown;
    try {
      await failing.createSpeaker.execute({ actor: actors.organizer, name: 'Lost' });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).to.equal('outbox table unavailable');
    expect(failing.store.outbox()).to.deep.equal([]);
    expect(failing.store.speakers()).to.deep.equal([]);
  });
});
