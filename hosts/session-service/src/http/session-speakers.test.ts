import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { PROBLEM_TYPE, nextSlot, sessionApi, type SessionApiHarness } from './session-test-kit.js';

describe('session-service HTTP: /api/sessions/:id/speakers', () => {
  let api: SessionApiHarness;
  beforeEach(async () => {
    api = await sessionApi();
  });

  const expired = () => api.tokens.expiredToken(api.users.organizer).then((t) => `Bearer ${t}`);
  const tampered = async () => {
    const [header, payload, signature] = (await api.tokens.tokenFor(api.users.attendee)).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    return `Bearer ${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
  };

  describe('POST /api/sessions/:id/speakers', () => {
    it('200 with the session holding the speaker, a new ETag, session.updated; GET shows the speaker', async () => {
      const speaker = api.addSpeaker();
      const session = await api.createSession();
      const res = await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', await api.bearer('organizer')).send({ speakerId: speaker.id }).expect(200);
      expect(res.body).to.include({ version: 2 });
      expect(res.body.speakerIds).to.deep.equal([speaker.id]);
      expect(res.headers['etag']).to.equal('"2"');
      expect(api.store.outbox().at(-1)?.envelope.type).to.equal('session.updated');
      expect((await api.request().get(`/api/sessions/${session.id}`).expect(200)).body.speakers).to.deep.equal([speaker]);
    });

    it('409 when the speaker is already in it, or already in an overlapping session (the clash named)', async () => {
      const speaker = api.addSpeaker();
      const slot = nextSlot();
      const busy = await api.createSession({ ...slot, speakerIds: [speaker.id], title: 'Keynote' });
      const bearer = await api.bearer('organizer');
      const twice = await api.request().post(`/api/sessions/${busy.id}/speakers`).set('Authorization', bearer).send({ speakerId: speaker.id }).expect(409);
      expect(twice.body.code).to.equal('SESSION.SPEAKER_ALREADY_IN_SESSION');
      const other = await api.createSession({ ...slot, room: 'Room B' });
      const clash = await api.request().post(`/api/sessions/${other.id}/speakers`).set('Authorization', bearer).send({ speakerId: speaker.id }).expect(409);
      expect(clash.body.code).to.equal('SESSION.SPEAKER_DOUBLE_BOOKED');
      expect(clash.body.detail).to.contain(busy.id).and.contain('Keynote');
    });

    it('409 with a stale version (If-Match or body); the current one is accepted', async () => {
      const speaker = api.addSpeaker();
      const session = await api.createSession();
      const bearer = await api.bearer('organizer');
      await api.request().patch(`/api/sessions/${session.id}`).set('Authorization', bearer).set('If-Match', '"1"').send({ title: 'v2' }).expect(200);
      await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', bearer).set('If-Match', '"1"').send({ speakerId: speaker.id }).expect(409);
      await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', bearer).send({ speakerId: speaker.id, version: 1 }).expect(409);
      await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', bearer).set('If-Match', '"2"').send({ speakerId: speaker.id }).expect(200);
    });

    it('422 for an unknown speaker (the id named); 503 when the speaker service cannot answer; nothing written', async () => {
      const session = await api.createSession();
      const ghost = randomUUID();
      const bearer = await api.bearer('organizer');
      const unknown = await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', bearer).send({ speakerId: ghost }).expect(422);
      expect(unknown.body.errors).to.deep.equal([{ path: 'speakerId', message: `no speaker with id ${ghost}` }]);
      const speaker = api.addSpeaker();
      api.speakers.setReachable(false);
      const down = await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', bearer).send({ speakerId: speaker.id }).expect(503);
      expect(down.body.code).to.equal('SESSION.SPEAKER_DIRECTORY_UNAVAILABLE');
      api.speakers.setReachable(true);
      expect((await api.request().get(`/api/sessions/${session.id}`).expect(200)).body).to.include({ version: 1 });
    });

    it('400 with a path for each invalid field', async () => {
      const session = await api.createSession();
      const res = await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', await api.bearer('organizer')).send({ speakerId: 'ada', version: 'one' }).expect(400);
      expect(res.headers['content-type']).to.match(PROBLEM_TYPE);
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).to.have.members(['speakerId', 'version']);
      const badId = await api.request().post('/api/sessions/nope/speakers').set('Authorization', await api.bearer('organizer')).send({ speakerId: randomUUID() }).expect(400);
      expect(badId.body.errors).to.deep.equal([{ path: 'id', message: 'must be a UUID' }]);
    });

    it('401 without/with a tampered/with an expired token; 403 for another organizer and for an attendee; 404 for an unknown session', async () => {
      const speaker = api.addSpeaker();
      const session = await api.createSession();
      const path = `/api/sessions/${session.id}/speakers`;
      await api.request().post(path).send({ speakerId: speaker.id }).expect(401);
      await api.request().post(path).set('Authorization', await tampered()).send({ speakerId: speaker.id }).expect(401);
      await api.request().post(path).set('Authorization', await expired()).send({ speakerId: speaker.id }).expect(401);
      const forbidden = await api.request().post(path).set('Authorization', await api.tokens.bearer(api.users.otherOrganizer)).send({ speakerId: speaker.id }).expect(403);
      expect(forbidden.body.code).to.equal('SESSION.FORBIDDEN');
      await api.request().post(path).set('Authorization', await api.bearer('attendee')).send({ speakerId: speaker.id }).expect(403);
      await api.request().post(`/api/sessions/${randomUUID()}/speakers`).set('Authorization', await api.bearer('organizer')).send({ speakerId: speaker.id }).expect(404);
      expect((await api.request().get(`/api/sessions/${session.id}`).expect(200)).body.speakerIds).to.deep.equal([]);
    });

    it('413 and 415', async () => {
      const session = await api.createSession();
      const bearer = await api.bearer('organizer');
      await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', bearer).send({ speakerId: 'x'.repeat(70 * 1024) }).expect(413);
      await api.request().post(`/api/sessions/${session.id}/speakers`).set('Authorization', bearer).set('Content-Type', 'application/xml').send('<speakerId/>').expect(415);
    });
  });

  describe('DELETE /api/sessions/:id/speakers/:speakerId', () => {
    it('200 with the session without the speaker, a new ETag, session.updated', async () => {
      const [a, b] = [api.addSpeaker('Ada'), api.addSpeaker('Grace')];
      const session = await api.createSession({ speakerIds: [a.id, b.id] });
      const res = await api.request().delete(`/api/sessions/${session.id}/speakers/${a.id}`).set('Authorization', await api.bearer('organizer')).expect(200);
      expect(res.body.speakerIds).to.deep.equal([b.id]);
      expect(res.headers['etag']).to.equal('"2"');
      expect(api.store.outbox().at(-1)?.envelope.type).to.equal('session.updated');
    });

    it('removing a speaker works while the speaker service is down (it is not asked)', async () => {
      const speaker = api.addSpeaker();
      const session = await api.createSession({ speakerIds: [speaker.id] });
      api.speakers.setReachable(false);
      await api.request().delete(`/api/sessions/${session.id}/speakers/${speaker.id}`).set('Authorization', await api.bearer('admin')).expect(200);
    });

    it('404 when the speaker is not in the session or the session is unknown; 400 for malformed ids', async () => {
      const session = await api.createSession();
      const bearer = await api.bearer('organizer');
      const notIn = await api.request().delete(`/api/sessions/${session.id}/speakers/${randomUUID()}`).set('Authorization', bearer).expect(404);
      expect(notIn.body.code).to.equal('SESSION.SPEAKER_NOT_IN_SESSION');
      await api.request().delete(`/api/sessions/${randomUUID()}/speakers/${randomUUID()}`).set('Authorization', bearer).expect(404);
      const malformed = await api.request().delete('/api/sessions/x/speakers/y').set('Authorization', bearer).expect(400);
      expect((malformed.body.errors as { path: string }[]).map((e) => e.path)).to.have.members(['id', 'speakerId']);
    });

    it('409 with a stale If-Match', async () => {
      const speaker = api.addSpeaker();
      const session = await api.createSession({ speakerIds: [speaker.id] });
      const bearer = await api.bearer('organizer');
      await api.request().patch(`/api/sessions/${session.id}`).set('Authorization', bearer).set('If-Match', '"1"').send({ room: 'Moved' }).expect(200);
      const res = await api.request().delete(`/api/sessions/${session.id}/speakers/${speaker.id}`).set('Authorization', bearer).set('If-Match', '"1"').expect(409);
      expect(res.body.code).to.equal('SESSION.STALE_VERSION');
    });

    it('401 without/with a tampered/with an expired token; 403 for another organizer', async () => {
      const speaker = api.addSpeaker();
      const session = await api.createSession({ speakerIds: [speaker.id] });
      const path = `/api/sessions/${session.id}/speakers/${speaker.id}`;
      await api.request().delete(path).expect(401);
      await api.request().delete(path).set('Authorization', await tampered()).expect(401);
      await api.request().delete(path).set('Authorization', await expired()).expect(401);
      await api.request().delete(path).set('Authorization', await api.tokens.bearer(api.users.otherOrganizer)).expect(403);
      expect((await api.request().get(`/api/sessions/${session.id}`).expect(200)).body.speakerIds).to.deep.equal([speaker.id]);
    });
  });
});
