import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { DomainError } from '@conference/kernel';
import { createInMemorySessionStore } from '@conference/session/testing';
import { InMemorySessionStore } from '../tokens.js';
import { JSON_TYPE, PROBLEM_TYPE, nextSlot, sessionApi, sessionBody, type SessionApiHarness } from './session-test-kit.js';

const tamper = (bearer: string): string => {
  const [header, payload, signature] = bearer.slice('Bearer '.length).split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return `Bearer ${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
};

describe('session-service HTTP: /api/sessions', () => {
  let api: SessionApiHarness;
  beforeEach(async () => {
    api = await sessionApi();
  });

  describe('POST /api/sessions', () => {
    it('201 with the session, Location, ETag, and session.created in the outbox carrying the request id', async () => {
      const speaker = api.addSpeaker();
      const eventId = randomUUID();
      const body = sessionBody({ eventId, speakerIds: [speaker.id], title: '  Trimmed title  ' });
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer')).set('X-Request-Id', 'req-create-1').send(body).expect(201);
      expect(res.headers['content-type']).to.match(JSON_TYPE);
      expect(res.body).to.include({ eventId, ownerId: api.users.organizer.userId, title: 'Trimmed title', room: 'Room A', version: 1, startsAt: body['startsAt'] });
      expect(res.body.speakerIds).to.deep.equal([speaker.id]);
      expect(res.headers['location']).to.equal(`/api/sessions/${res.body.id}`);
      expect(res.headers['etag']).to.equal('"1"');
      const [message] = api.store.outbox();
      expect(message?.envelope).to.include({ type: 'session.created', correlationId: 'req-create-1', source: 'session-service' });
    });

    it('admins create sessions too; a session without eventId stands alone', async () => {
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('admin')).send(sessionBody()).expect(201);
      expect(res.body.eventId).to.equal(null);
    });

    it('400 with a path for each invalid field, nothing written', async () => {
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer'))
        .send({ title: '', abstract: 5, startsAt: 'tomorrow', endsAt: '2030-01-01T10:00:00Z', room: 'x'.repeat(500), speakerIds: ['nope'], eventId: 'e-1' })
        .expect(400);
      expect(res.headers['content-type']).to.match(PROBLEM_TYPE);
      expect(res.body).to.include({ status: 400, code: 'REQUEST.INVALID_BODY' });
      const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
      expect(paths).to.have.members(['title', 'abstract', 'startsAt', 'room', 'speakerIds[0]', 'eventId']);
      const missing = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer')).send({ title: 'Only a title' }).expect(400);
      expect(missing.body.errors).to.deep.include({ path: 'startsAt', message: 'is required' });
      const unknown = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer')).send(sessionBody({ extra: true })).expect(400);
      expect(unknown.body.errors).to.deep.equal([{ path: 'extra', message: 'is not a known field' }]);
      expect(api.storedSessions()).to.have.length(0);
    });

    it('400 when it ends before it starts (a domain rule), with the path endsAt', async () => {
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer'))
        .send(sessionBody({ startsAt: '2030-01-01T10:00:00Z', endsAt: '2030-01-01T09:00:00Z' })).expect(400);
      expect(res.body.code).to.equal('SESSION.ENDS_BEFORE_START');
      expect(res.body.errors).to.deep.equal([{ path: 'endsAt', message: 'must be after startsAt' }]);
    });

    it('400 without a body', async () => {
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer')).expect(400);
      expect(res.body.code).to.equal('REQUEST.BODY_REQUIRED');
    });

    it('401 without a token, with a tampered token and with an expired one; nothing written', async () => {
      const missing = await api.request().post('/api/sessions').send(sessionBody()).expect(401);
      expect(missing.body.code).to.equal('AUTH.TOKEN_MISSING');
      expect(missing.headers['www-authenticate']).to.equal('Bearer');
      const tampered = await api.request().post('/api/sessions').set('Authorization', tamper(await api.bearer('attendee'))).send(sessionBody()).expect(401);
      expect(tampered.body.code).to.equal('AUTH.TOKEN_INVALID');
      const expired = await api.request().post('/api/sessions').set('Authorization', `Bearer ${await api.tokens.expiredToken(api.users.organizer)}`).send(sessionBody()).expect(401);
      expect(expired.body.code).to.equal('AUTH.TOKEN_EXPIRED');
      expect(api.storedSessions()).to.have.length(0);
    });

    it('403 for an attendee', async () => {
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('attendee')).send(sessionBody()).expect(403);
      expect(res.body.code).to.equal('SESSION.FORBIDDEN');
      expect(api.storedSessions()).to.have.length(0);
    });

    it('422 naming every unknown speaker id, at the path where it was sent', async () => {
      const known = api.addSpeaker();
      const ghost = randomUUID();
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer'))
        .send(sessionBody({ speakerIds: [known.id, ghost] })).expect(422);
      expect(res.body.code).to.equal('SESSION.UNKNOWN_SPEAKER');
      expect(res.body.detail).to.contain(ghost);
      expect(res.body.errors).to.deep.equal([{ path: 'speakerIds[1]', message: `no speaker with id ${ghost}` }]);
      expect(api.storedSessions()).to.have.length(0);
    });

    it('503 with Retry-After when the speaker service cannot answer; nothing written', async () => {
      const speaker = api.addSpeaker();
      api.speakers.setReachable(false);
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer')).send(sessionBody({ speakerIds: [speaker.id] })).expect(503);
      expect(res.body.code).to.equal('SESSION.SPEAKER_DIRECTORY_UNAVAILABLE');
      expect(res.headers['retry-after']).to.equal('5');
      expect(api.storedSessions()).to.have.length(0);
    });

    it('409 naming the clash when a speaker is already in an overlapping session (identical and nested slots)', async () => {
      const speaker = api.addSpeaker();
      const slot = { startsAt: '2031-03-01T09:00:00Z', endsAt: '2031-03-01T11:00:00Z' };
      const first = await api.createSession({ ...slot, speakerIds: [speaker.id], title: 'First talk' });
      for (const clash of [slot, { startsAt: '2031-03-01T09:30:00Z', endsAt: '2031-03-01T10:00:00Z' }]) {
        const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('admin'))
          .send(sessionBody({ ...clash, speakerIds: [speaker.id], room: 'Elsewhere' })).expect(409);
        expect(res.body.code).to.equal('SESSION.SPEAKER_DOUBLE_BOOKED');
        expect(res.body.detail).to.contain(speaker.id).and.contain(first.id).and.contain('First talk');
      }
      // Touching is not overlapping.
      await api.createSession({ startsAt: '2031-03-01T11:00:00Z', endsAt: '2031-03-01T12:00:00Z', speakerIds: [speaker.id] });
    });

    it('409 naming the clash when the room of the event is taken at that time', async () => {
      const eventId = randomUUID();
      const slot = nextSlot();
      const first = await api.createSession({ ...slot, eventId, room: 'Main hall' });
      const res = await api.request().post('/api/sessions').set('Authorization', await api.bearer('organizer'))
        .send(sessionBody({ ...slot, eventId, room: ' main HALL ' })).expect(409);
      expect(res.body.code).to.equal('SESSION.ROOM_DOUBLE_BOOKED');
      expect(res.body.detail).to.contain(first.id);
      // Another event's room of the same name is another room.
      await api.createSession({ ...slot, eventId: randomUUID(), room: 'Main hall' });
    });

    it('413 beyond the body limit, 415 for a non-JSON body', async () => {
      const bearer = await api.bearer('organizer');
      const huge = await api.request().post('/api/sessions').set('Authorization', bearer).send(sessionBody({ abstract: 'x'.repeat(70 * 1024) })).expect(413);
      expect(huge.body.code).to.equal('REQUEST.TOO_LARGE');
      const form = await api.request().post('/api/sessions').set('Authorization', bearer).type('form').send({ title: 'x' }).expect(415);
      expect(form.body.code).to.equal('REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect(api.storedSessions()).to.have.length(0);
    });
  });

  describe('GET /api/sessions/:id', () => {
    it('200 with its speakers (in the session\'s order) and ETag, for anonymous visitors and signed-in users', async () => {
      const [a, b] = [api.addSpeaker('Ada'), api.addSpeaker('Grace')];
      const created = await api.createSession({ speakerIds: [b.id, a.id] });
      const res = await api.request().get(`/api/sessions/${created.id}`).expect(200);
      expect(res.headers['etag']).to.equal('"1"');
      expect(res.body).to.deep.include({ id: created.id, speakerIds: [b.id, a.id] });
      expect(res.body.speakers).to.deep.equal([b, a]);
      await api.request().get(`/api/sessions/${created.id}`).set('Authorization', await api.bearer('attendee')).expect(200);
    });

    it('speakers: null (not an error) when the speaker service is unavailable', async () => {
      const speaker = api.addSpeaker();
      const created = await api.createSession({ speakerIds: [speaker.id] });
      api.speakers.setReachable(false);
      const res = await api.request().get(`/api/sessions/${created.id}`).expect(200);
      expect(res.body.speakers).to.equal(null);
      expect(res.body.speakerIds).to.deep.equal([speaker.id]);
    });

    it('404 for an unknown session, 400 with the path id for a malformed one', async () => {
      const missing = await api.request().get(`/api/sessions/${randomUUID()}`).expect(404);
      expect(missing.body.code).to.equal('SESSION.NOT_FOUND');
      const malformed = await api.request().get('/api/sessions/not-a-uuid').expect(400);
      expect(malformed.body.errors).to.deep.equal([{ path: 'id', message: 'must be a UUID' }]);
    });

    it('401 with a tampered or expired token (a token that is sent is checked)', async () => {
      const created = await api.createSession();
      expect((await api.request().get(`/api/sessions/${created.id}`).set('Authorization', tamper(await api.bearer('attendee'))).expect(401)).body.code).to.equal('AUTH.TOKEN_INVALID');
      expect((await api.request().get(`/api/sessions/${created.id}`).set('Authorization', `Bearer ${await api.tokens.expiredToken()}`).expect(401)).body.code).to.equal('AUTH.TOKEN_EXPIRED');
    });
  });

  describe('GET /api/sessions', () => {
    it('pages by keyset with limit and cursor, in start order, without repeats or gaps', async () => {
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await api.createSession({ title: `Talk ${i}` }));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await api.request().get('/api/sessions').query({ limit: '2', ...(cursor ? { cursor } : {}) }).expect(200);
        expect(res.body.items.length).to.be.at.most(2);
        seen.push(...res.body.items.map((s) => s.id));
        cursor = res.body.nextCursor;
        pages += 1;
        if (pages === 1) await api.createSession({ startsAt: '2020-01-01T09:00:00Z', endsAt: '2020-01-01T10:00:00Z' }); // before the cursor: must not shift later pages
      } while (cursor);
      expect(seen).to.deep.equal(created.map((s) => s.id));
      expect(pages).to.equal(3);
    });

    it('filters by eventId, speakerId and the window [from, to)', async () => {
      const eventId = randomUUID();
      const speaker = api.addSpeaker();
      const inEvent = await api.createSession({ eventId, startsAt: '2032-01-01T09:00:00Z', endsAt: '2032-01-01T10:00:00Z' });
      const withSpeaker = await api.createSession({ speakerIds: [speaker.id], startsAt: '2032-01-02T09:00:00Z', endsAt: '2032-01-02T10:00:00Z' });
      const ids = async (query: Record<string, string>) => ((await api.request().get('/api/sessions').query(query).expect(200)).body.items as { id: string }[]).map((s) => s.id);
      expect(await ids({ eventId })).to.deep.equal([inEvent.id]);
      expect(await ids({ speakerId: speaker.id })).to.deep.equal([withSpeaker.id]);
      expect(await ids({ from: '2032-01-01T09:30:00Z', to: '2032-01-02T09:00:00Z' })).to.deep.equal([inEvent.id]);
    });

    it('400 with a path for each invalid filter; unknown parameters refused', async () => {
      const res = await api.request().get('/api/sessions').query({ eventId: 'x', from: 'yesterday', limit: '0' }).expect(400);
      expect(res.body.code).to.equal('REQUEST.INVALID_QUERY');
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).to.have.members(['eventId', 'from', 'limit']);
      const unknown = await api.request().get('/api/sessions').query({ sort: 'title' }).expect(400);
      expect(unknown.body.errors).to.deep.equal([{ path: 'sort', message: 'is not a known field' }]);
      const cursor = await api.request().get('/api/sessions').query({ cursor: 'forged' }).expect(400);
      expect(cursor.body.code).to.equal('PAGINATION.INVALID_CURSOR');
      const window = await api.request().get('/api/sessions').query({ from: '2032-01-02T00:00:00Z', to: '2032-01-01T00:00:00Z' }).expect(400);
      expect(window.body.errors).to.deep.equal([{ path: 'to', message: 'must not be before from' }]);
    });

    it('401 with a tampered token', async () => {
      await api.request().get('/api/sessions').set('Authorization', tamper(await api.bearer('attendee'))).expect(401);
    });
  });

  describe('PATCH /api/sessions/:id', () => {
    it('200 with If-Match: the changed session, a new ETag, session.updated', async () => {
      const created = await api.createSession();
      const res = await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', await api.bearer('organizer')).set('If-Match', '"1"')
        .send({ title: 'Renamed', room: 'Room B' }).expect(200);
      expect(res.body).to.include({ title: 'Renamed', room: 'Room B', version: 2 });
      expect(res.headers['etag']).to.equal('"2"');
      expect(api.store.outbox().map((m) => m.envelope.type)).to.deep.equal(['session.created', 'session.updated']);
    });

    it('200 with the version in the body instead; an admin may change anyone\'s session', async () => {
      const created = await api.createSession();
      const res = await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', await api.bearer('admin')).send({ version: 1, abstract: 'New abstract' }).expect(200);
      expect(res.body).to.include({ abstract: 'New abstract', version: 2 });
    });

    it('409 on a stale version (If-Match or body), nothing written', async () => {
      const created = await api.createSession();
      const bearer = await api.bearer('organizer');
      await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).set('If-Match', '"1"').send({ title: 'First edit' }).expect(200);
      const stale = await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).set('If-Match', '"1"').send({ title: 'Lost update' }).expect(409);
      expect(stale.body.code).to.equal('SESSION.STALE_VERSION');
      await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).send({ version: 1, title: 'Lost update' }).expect(409);
      expect((await api.request().get(`/api/sessions/${created.id}`).expect(200)).body.title).to.equal('First edit');
    });

    it('409 when the change double-books a speaker; 422 for an unknown added speaker', async () => {
      const speaker = api.addSpeaker();
      const slot = nextSlot();
      await api.createSession({ ...slot, speakerIds: [speaker.id] });
      const other = await api.createSession({ ...slot, room: 'Room B' });
      const bearer = await api.bearer('organizer');
      const clash = await api.request().patch(`/api/sessions/${other.id}`).set('Authorization', bearer).set('If-Match', '"1"').send({ speakerIds: [speaker.id] }).expect(409);
      expect(clash.body.code).to.equal('SESSION.SPEAKER_DOUBLE_BOOKED');
      const ghost = randomUUID();
      const unknown = await api.request().patch(`/api/sessions/${other.id}`).set('Authorization', bearer).set('If-Match', '"1"').send({ speakerIds: [ghost] }).expect(422);
      expect(unknown.body.detail).to.contain(ghost);
    });

    it('428 without If-Match or version; 400 when they disagree or If-Match is malformed', async () => {
      const created = await api.createSession();
      const bearer = await api.bearer('organizer');
      const missing = await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).send({ title: 'x' }).expect(428);
      expect(missing.body.code).to.equal('SESSION.VERSION_REQUIRED');
      const mismatch = await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).set('If-Match', '"2"').send({ version: 1, title: 'x' }).expect(400);
      expect(mismatch.body.errors).to.deep.equal([{ path: 'version', message: 'disagrees with If-Match (2)' }]);
      await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).set('If-Match', 'W/"1"').send({ title: 'x' }).expect(400);
    });

    it('400 with a path for each invalid field; eventId cannot be changed', async () => {
      const created = await api.createSession();
      const res = await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', await api.bearer('organizer'))
        .send({ version: 0, title: 7, endsAt: 'later', speakerIds: 'a' }).expect(400);
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).to.have.members(['version', 'title', 'endsAt', 'speakerIds']);
      const eventChange = await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', await api.bearer('organizer')).send({ version: 1, eventId: randomUUID() }).expect(400);
      expect(eventChange.body.errors).to.deep.equal([{ path: 'eventId', message: 'is not a known field' }]);
    });

    it('401 without/with a tampered/with an expired token; 403 for another organizer; 404 for an unknown session', async () => {
      const created = await api.createSession();
      const path = `/api/sessions/${created.id}`;
      await api.request().patch(path).send({ version: 1, title: 'x' }).expect(401);
      await api.request().patch(path).set('Authorization', tamper(await api.bearer('organizer'))).send({ version: 1, title: 'x' }).expect(401);
      await api.request().patch(path).set('Authorization', `Bearer ${await api.tokens.expiredToken(api.users.organizer)}`).send({ version: 1, title: 'x' }).expect(401);
      const forbidden = await api.request().patch(path).set('Authorization', await api.tokens.bearer(api.users.otherOrganizer)).send({ version: 1, title: 'Hijacked' }).expect(403);
      expect(forbidden.body.code).to.equal('SESSION.FORBIDDEN');
      await api.request().patch(`/api/sessions/${randomUUID()}`).set('Authorization', await api.bearer('organizer')).send({ version: 1, title: 'x' }).expect(404);
      expect((await api.request().get(path).expect(200)).body.title).to.equal(created.title);
    });

    it('413 and 415', async () => {
      const created = await api.createSession();
      const bearer = await api.bearer('organizer');
      await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).send({ version: 1, abstract: 'x'.repeat(70 * 1024) }).expect(413);
      await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).set('Content-Type', 'text/plain').send('{"version":1}').expect(415);
    });
  });

  describe('DELETE /api/sessions/:id', () => {
    it('204, session.deleted, and the session is gone', async () => {
      const created = await api.createSession();
      await api.request().delete(`/api/sessions/${created.id}`).set('Authorization', await api.bearer('organizer')).expect(204);
      await api.request().get(`/api/sessions/${created.id}`).expect(404);
      expect(api.store.outbox().at(-1)?.envelope.type).to.equal('session.deleted');
    });

    it('409 with a stale If-Match; 204 with the current one', async () => {
      const created = await api.createSession();
      const bearer = await api.bearer('organizer');
      await api.request().patch(`/api/sessions/${created.id}`).set('Authorization', bearer).set('If-Match', '"1"').send({ title: 'v2' }).expect(200);
      await api.request().delete(`/api/sessions/${created.id}`).set('Authorization', bearer).set('If-Match', '"1"').expect(409);
      await api.request().delete(`/api/sessions/${created.id}`).set('Authorization', bearer).set('If-Match', '"2"').expect(204);
    });

    it('401 without/with a tampered/with an expired token; 403 for another organizer; 404; 400 for a malformed id', async () => {
      const created = await api.createSession();
      const path = `/api/sessions/${created.id}`;
      await api.request().delete(path).expect(401);
      await api.request().delete(path).set('Authorization', tamper(await api.bearer('organizer'))).expect(401);
      await api.request().delete(path).set('Authorization', `Bearer ${await api.tokens.expiredToken(api.users.organizer)}`).expect(401);
      await api.request().delete(path).set('Authorization', await api.tokens.bearer(api.users.otherOrganizer)).expect(403);
      await api.request().delete(`/api/sessions/${randomUUID()}`).set('Authorization', await api.bearer('organizer')).expect(404);
      const malformed = await api.request().delete('/api/sessions/42').set('Authorization', await api.bearer('organizer')).expect(400);
      expect(malformed.body.errors[0].path).to.equal('id');
      await api.request().get(path).expect(200);
    });
  });

  describe('errors thrown by the unit of work', () => {
    it('a DomainError thrown (not returned), e.g. a lock timeout, is answered with its status through the problem handler', async () => {
      const throwing = new ContainerModule(({ rebind }) => {
        rebind<InMemorySessionStore>(InMemorySessionStore).toConstantValue(createInMemorySessionStore((scope) => ({
          ...scope,
          locks: { acquire: async () => { throw DomainError.unavailable('DATABASE.UNAVAILABLE', 'The database is busy or unreachable; try again shortly'); } },
        })));
      });
      const failing = await sessionApi({ overrides: throwing });
      const res = await failing.request().post('/api/sessions').set('Authorization', await failing.bearer('organizer')).send(sessionBody()).expect(503);
      expect(res.headers['content-type']).to.match(PROBLEM_TYPE);
      expect(res.body).to.include({ status: 503, code: 'DATABASE.UNAVAILABLE' });
      expect(res.headers['retry-after']).to.equal('5');
      expect(failing.storedSessions()).to.have.length(0);
    });

    it('anything else thrown is a generic 500 that reveals nothing', async () => {
      const throwing = new ContainerModule(({ rebind }) => {
        rebind<InMemorySessionStore>(InMemorySessionStore).toConstantValue(createInMemorySessionStore((scope) => ({
          ...scope,
          locks: { acquire: async () => { throw new Error('secret internals'); } },
        })));
      });
      const failing = await sessionApi({ overrides: throwing });
      const res = await failing.request().post('/api/sessions').set('Authorization', await failing.bearer('organizer')).send(sessionBody()).expect(500);
      expect(res.body.code).to.equal('INTERNAL');
      expect(JSON.stringify(res.body)).not.to.contain('secret');
    });
  });
});
