import { expect } from 'chai';
import { isLeft } from 'fp-ts/lib/Either.js';
import { fieldsOf } from '@conference/http-kit';
import { requestTo } from '@conference/http-kit/testing';
import { createApp } from '../app.js';
import { loadSpeakerConfig } from '../config.js';
import { createContainer } from '../container.js';
import { actors, PROBLEM_JSON, SAMPLE_SPEAKER, speakerTestApp, type SpeakerTestApp } from './speaker-test-kit.js';
import { SpeakerPageView, SpeakerView } from './speaker-schemas.js';

const UNKNOWN_ID = '5b0c0000-0000-4000-8000-00000000ffff';

/** The response is exactly a documented SpeakerView: no field missing, none extra, each of its type. */
function expectSpeakerView(body: unknown): void {
  expect(isLeft(SpeakerView.decode(body)), JSON.stringify(body)).to.equal(false);
  expect(Object.keys(body as object).sort()).to.deep.equal(fieldsOf(SpeakerView)!.map((f) => f.name).sort());
}

/** A problem+json answer with this status and code; returns its `errors` paths. */
function expectProblem(res: { status: number; headers: Record<string, string>; body: { status?: number; code?: string; errors?: { path: string }[] } }, status: number, code?: string): string[] {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(PROBLEM_JSON);
  expect(res.body.status).to.equal(status);
  if (code) expect(res.body.code).to.equal(code);
  return (res.body.errors ?? []).map((e) => e.path);
}

/** 401 without a token, with a tampered one, and with an expired one. */
async function expectTokenRequired(app: SpeakerTestApp, send: (authorization: string | null) => Promise<{ status: number; headers: Record<string, string>; body: { code?: string } }>): Promise<void> {
  expectProblem(await send(null), 401, 'AUTH.TOKEN_MISSING');
  const token = await app.tokens.tokenFor(actors.attendee);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
  expectProblem(await send(`Bearer ${header}.${forged}.${signature}`), 401, 'AUTH.TOKEN_INVALID');
  expectProblem(await send(`Bearer ${await app.tokens.expiredToken(actors.admin)}`), 401, 'AUTH.TOKEN_EXPIRED');
}

describe('speaker-service HTTP /api/speakers', () => {
  let app: SpeakerTestApp;
  beforeEach(async () => {
    app = await speakerTestApp();
  });

  describe('GET /api/speakers', () => {
    it('is public and answers an empty page at first', async () => {
      const res = await app.request().get('/api/speakers').expect(200);
      expect(res.body).to.deep.equal({ items: [], nextCursor: null });
    });

    it('pages by name with keyset cursors: every speaker once, in order, also when one is added between pages', async () => {
      for (const name of ['Grace', 'ada', 'Émilie', 'Barbara', 'Claude']) await app.create(actors.organizer, { name });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string> = cursor ? { limit: '2', cursor } : { limit: '2' };
        const res = await app.request().get('/api/speakers').query(query).expect(200);
        expect(isLeft(SpeakerPageView.decode(res.body))).to.equal(false);
        for (const item of res.body.items) expectSpeakerView(item);
        expect(res.body.items.length).to.be.at.most(2);
        seen.push(...res.body.items.map((s: { name: string }) => s.name));
        cursor = res.body.nextCursor;
        // Added before the cursor's position: must not appear later nor shift what follows.
        if (pages++ === 0) await app.create(actors.organizer, { name: 'Aaron' });
      } while (cursor !== null);
      expect(seen).to.deep.equal(['ada', 'Barbara', 'Claude', 'Grace', 'Émilie']);
      expect(pages).to.equal(3);
    });

    it('filters by q in name, company and headline', async () => {
      await app.create(actors.organizer, { name: 'Ada', company: 'Engines Ltd' });
      await app.create(actors.organizer, { name: 'Grace', headline: 'Compilers and engines' });
      await app.create(actors.organizer, { name: 'Claude' });
      const res = await app.request().get('/api/speakers?q=ENGINE').expect(200);
      expect(res.body.items.map((s: { name: string }) => s.name)).to.deep.equal(['Ada', 'Grace']);
    });

    it('400 with the path of each bad query parameter', async () => {
      for (const [query, path] of [
        ['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=ten', 'limit'], ['limit=2&limit=3', 'limit'],
        [`q=${'x'.repeat(201)}`, 'q'], ['q=a&q=b', 'q'], ['cursor=not-ours', 'cursor'], ['sort=name', 'sort'],
      ] as const) {
        const paths = expectProblem(await app.request().get(`/api/speakers?${query}`), 400);
        expect(paths, query).to.deep.equal([path]);
      }
    });
  });

  describe('POST /api/speakers', () => {
    it('201 for an organizer: the view, Location, ETag, a speaker.created message with the request id', async () => {
      const res = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.organizer))
        .set('X-Request-Id', 'req-create-1').send(SAMPLE_SPEAKER).expect(201);
      expectSpeakerView(res.body);
      expect(res.body).to.deep.include({ ...SAMPLE_SPEAKER, createdBy: actors.organizer.userId, version: 1 });
      expect(res.headers['location']).to.equal(`/api/speakers/${res.body.id}`);
      expect(res.headers['etag']).to.equal('"1"');
      const fetched = await app.request().get(res.headers['location']!).expect(200);
      expect(fetched.body).to.deep.equal(res.body);
      const messages = app.store.outbox().map((m) => m.envelope);
      expect(messages.map((m) => [m.type, m.correlationId])).to.deep.equal([['speaker.created', 'req-create-1']]);
    });

    it('lets an attendee create their own profile, linked to their account', async () => {
      const res = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.attendee)).send({ name: 'Me' }).expect(201);
      expect(res.body).to.include({ userId: actors.attendee.userId, createdBy: actors.attendee.userId, headline: '', bio: '', company: '' });
      expect(res.body.links).to.deep.equal([]);
    });

    it('400 with a path for each invalid field, and for an unknown field', async () => {
      const bad = { name: '   ', headline: 5, bio: 'x'.repeat(5001), company: null, links: [{ label: 'ok', url: 'javascript:alert(1)' }, { label: '' }], userId: 'someone' };
      const res = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.organizer)).send(bad);
      expect(expectProblem(res, 400, 'REQUEST.INVALID_BODY')).to.have.members(['name', 'headline', 'bio', 'company', 'links[0].url', 'links[1].label', 'links[1].url', 'userId']);
      const extra = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.organizer)).send({ ...SAMPLE_SPEAKER, twitter: '@ada' });
      expect(expectProblem(extra, 400)).to.deep.equal(['twitter']);
      const tooMany = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.organizer))
        .send({ name: 'A', links: Array.from({ length: 11 }, () => ({ label: 'l', url: 'https://x.example' })) });
      expect(expectProblem(tooMany, 400)).to.deep.equal(['links']);
      expectProblem(await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.organizer)), 400, 'REQUEST.BODY_REQUIRED');
      expect(app.store.speakers()).to.deep.equal([]);
    });

    it('401 without a token, with a tampered one, with an expired one', async () => {
      await expectTokenRequired(app, (authorization) => {
        const req = app.request().post('/api/speakers');
        if (authorization) req.set('Authorization', authorization);
        return req.send(SAMPLE_SPEAKER);
      });
      expect(app.store.speakers()).to.deep.equal([]);
    });

    it('403 for an attendee creating a profile for someone else', async () => {
      const res = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.attendee))
        .send({ name: 'Not me', userId: actors.otherAttendee.userId });
      expectProblem(res, 403, 'SPEAKER.CREATE_FORBIDDEN');
      const unlinked = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.attendee)).send({ name: 'Nobody', userId: null });
      expectProblem(unlinked, 403, 'SPEAKER.CREATE_FORBIDDEN');
      expect(app.store.speakers()).to.deep.equal([]);
    });

    it('409 when the user already has a profile', async () => {
      await app.create(actors.organizer, SAMPLE_SPEAKER);
      const res = await app.request().post('/api/speakers').set('Authorization', await app.bearer(actors.admin)).send({ name: 'Twin', userId: SAMPLE_SPEAKER.userId });
      expectProblem(res, 409, 'SPEAKER.USER_ALREADY_LINKED');
      expect(app.store.speakers()).to.have.length(1);
    });

    it('413 for a huge body and 415 for a body that is not JSON', async () => {
      const auth = await app.bearer(actors.organizer);
      expectProblem(await app.request().post('/api/speakers').set('Authorization', auth).send({ name: 'A', bio: 'x'.repeat(70_000) }), 413, 'REQUEST.TOO_LARGE');
      expectProblem(await app.request().post('/api/speakers').set('Authorization', auth).set('Content-Type', 'text/plain').send('name=Ada'), 415);
      expectProblem(await app.request().post('/api/speakers').set('Authorization', auth).type('form').send({ name: 'Ada' }), 415);
      expect(app.store.speakers()).to.deep.equal([]);
    });
  });

  describe('GET /api/speakers/:id', () => {
    it('200 with the view and its ETag, for anyone, ids in any case', async () => {
      const created = await app.create(actors.organizer, SAMPLE_SPEAKER);
      const res = await app.request().get(`/api/speakers/${created.id.toUpperCase()}`).expect(200);
      expectSpeakerView(res.body);
      expect(res.body.id).to.equal(created.id);
      expect(res.headers['etag']).to.equal('"1"');
    });

    it('404 for an unknown id and for text that is not an id', async () => {
      expectProblem(await app.request().get(`/api/speakers/${UNKNOWN_ID}`), 404, 'SPEAKER.NOT_FOUND');
      expectProblem(await app.request().get('/api/speakers/not-an-id'), 404, 'SPEAKER.NOT_FOUND');
    });
  });

  describe('PATCH /api/speakers/:id', () => {
    it('200 for the linked user with If-Match: the new version, ETag and a speaker.updated message', async () => {
      const mine = await app.create(actors.attendee, { name: 'Me' });
      const res = await app.request().patch(`/api/speakers/${mine.id}`).set('Authorization', await app.bearer(actors.attendee))
        .set('If-Match', '"1"').send({ headline: 'Now a speaker', links: [{ label: 'Blog', url: 'https://me.example' }] }).expect(200);
      expectSpeakerView(res.body);
      expect(res.body).to.include({ headline: 'Now a speaker', version: 2 });
      expect(res.headers['etag']).to.equal('"2"');
      expect(app.store.outbox().map((m) => m.envelope.type)).to.deep.equal(['speaker.created', 'speaker.updated']);
    });

    it('200 for the creating organizer with `version` in the body, also relinking; an admin may change anything', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      const relinked = await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.organizer))
        .send({ version: 1, userId: actors.attendee.userId }).expect(200);
      expect(relinked.body).to.include({ userId: actors.attendee.userId, version: 2 });
      const byAdmin = await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.admin))
        .set('If-Match', '"2"').send({ version: 2, userId: null, name: 'Ada L.' }).expect(200);
      expect(byAdmin.body).to.include({ userId: null, name: 'Ada L.', version: 3 });
    });

    it('409 on a stale version, in If-Match or in the body, and nothing changes', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      const auth = await app.bearer(actors.organizer);
      await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"1"').send({ name: 'Ada 2' }).expect(200);
      expectProblem(await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"1"').send({ name: 'Lost update' }), 409, 'SPEAKER.STALE_VERSION');
      expectProblem(await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).send({ version: 1, name: 'Lost update' }), 409, 'SPEAKER.STALE_VERSION');
      expect((await app.request().get(`/api/speakers/${created.id}`)).body).to.include({ name: 'Ada 2', version: 2 });
    });

    it('428 without If-Match or version; 400 for a malformed If-Match or one that disagrees with the body', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      const auth = await app.bearer(actors.organizer);
      const paths = expectProblem(await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).send({ name: 'B' }), 428, 'REQUEST.VERSION_REQUIRED');
      expect(paths).to.deep.equal(['version']);
      expectProblem(await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', 'W/"1"').send({ name: 'B' }), 400, 'REQUEST.INVALID_IF_MATCH');
      expectProblem(await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"1"').send({ version: 2, name: 'B' }), 400, 'REQUEST.VERSION_MISMATCH');
    });

    it('400 with a path for each invalid field', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      const res = await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.organizer))
        .send({ version: 0, name: '', links: 'https://x.example', userId: 7, color: 'red' });
      expect(expectProblem(res, 400)).to.deep.equal(['color']);
      const typed = await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.organizer))
        .send({ version: 0, name: '', links: 'https://x.example', userId: 7 });
      expect(expectProblem(typed, 400, 'REQUEST.INVALID_BODY')).to.have.members(['version', 'name', 'links', 'userId']);
    });

    it('401 without a token, with a tampered one, with an expired one', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      await expectTokenRequired(app, (authorization) => {
        const req = app.request().patch(`/api/speakers/${created.id}`).set('If-Match', '"1"');
        if (authorization) req.set('Authorization', authorization);
        return req.send({ name: 'Changed' });
      });
    });

    it('403 for an attendee changing another user\'s profile, and for the linked user relinking it', async () => {
      const theirs = await app.create(actors.otherAttendee, { name: 'Them' });
      const res = await app.request().patch(`/api/speakers/${theirs.id}`).set('Authorization', await app.bearer(actors.attendee)).set('If-Match', '"1"').send({ name: 'Mine now' });
      expectProblem(res, 403, 'SPEAKER.CHANGE_FORBIDDEN');
      const byOtherOrganizer = await app.request().patch(`/api/speakers/${theirs.id}`).set('Authorization', await app.bearer(actors.otherOrganizer)).set('If-Match', '"1"').send({ name: 'X' });
      expectProblem(byOtherOrganizer, 403, 'SPEAKER.CHANGE_FORBIDDEN');
      const relink = await app.request().patch(`/api/speakers/${theirs.id}`).set('Authorization', await app.bearer(actors.otherAttendee)).set('If-Match', '"1"').send({ userId: actors.attendee.userId });
      expectProblem(relink, 403, 'SPEAKER.LINK_FORBIDDEN');
      expect((await app.request().get(`/api/speakers/${theirs.id}`)).body).to.include({ name: 'Them', version: 1, userId: actors.otherAttendee.userId });
    });

    it('404 for an unknown id; 413 for a huge body; 415 for a body that is not JSON', async () => {
      const auth = await app.bearer(actors.admin);
      expectProblem(await app.request().patch(`/api/speakers/${UNKNOWN_ID}`).set('Authorization', auth).set('If-Match', '"1"').send({ name: 'X' }), 404, 'SPEAKER.NOT_FOUND');
      const created = await app.create(actors.organizer, { name: 'Ada' });
      expectProblem(await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"1"').send({ bio: 'x'.repeat(70_000) }), 413);
      expectProblem(await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"1"').set('Content-Type', 'application/xml').send('<name>X</name>'), 415);
      expect((await app.request().get(`/api/speakers/${created.id}`)).body).to.include({ version: 1 });
    });
  });

  describe('DELETE /api/speakers/:id', () => {
    it('204 for the creating organizer; the profile is gone and speaker.deleted published', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      const res = await app.request().delete(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.organizer)).expect(204);
      expect(res.text).to.equal('');
      expectProblem(await app.request().get(`/api/speakers/${created.id}`), 404);
      expect(app.store.outbox().map((m) => m.envelope.type)).to.deep.equal(['speaker.created', 'speaker.deleted']);
    });

    it('403 for an organizer deleting a profile another organizer created, and for its linked user; an admin may', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada', userId: actors.attendee.userId });
      expectProblem(await app.request().delete(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.otherOrganizer)), 403, 'SPEAKER.DELETE_FORBIDDEN');
      expectProblem(await app.request().delete(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.attendee)), 403, 'SPEAKER.DELETE_FORBIDDEN');
      expect(app.store.speakers()).to.have.length(1);
      await app.request().delete(`/api/speakers/${created.id}`).set('Authorization', await app.bearer(actors.admin)).expect(204);
    });

    it('409 for a stale If-Match; with the current one it deletes', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      const auth = await app.bearer(actors.organizer);
      await app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"1"').send({ name: 'Ada 2' }).expect(200);
      expectProblem(await app.request().delete(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"1"'), 409, 'SPEAKER.STALE_VERSION');
      expect(app.store.speakers()).to.have.length(1);
      await app.request().delete(`/api/speakers/${created.id}`).set('Authorization', auth).set('If-Match', '"2"').expect(204);
    });

    it('401 without a token, with a tampered one, with an expired one', async () => {
      const created = await app.create(actors.organizer, { name: 'Ada' });
      await expectTokenRequired(app, (authorization) => {
        const req = app.request().delete(`/api/speakers/${created.id}`);
        if (authorization) req.set('Authorization', authorization);
        return req;
      });
      expect(app.store.speakers()).to.have.length(1);
    });

    it('404 for an unknown id or text that is not an id', async () => {
      const auth = await app.bearer(actors.admin);
      expectProblem(await app.request().delete(`/api/speakers/${UNKNOWN_ID}`).set('Authorization', auth), 404, 'SPEAKER.NOT_FOUND');
      expectProblem(await app.request().delete('/api/speakers/nope').set('Authorization', auth), 404, 'SPEAKER.NOT_FOUND');
    });
  });

  describe('operations', () => {
    it('/health, /ready and /metrics answer; the metrics count requests by route template', async () => {
      await app.request().get('/health').expect(200, { status: 'ok' });
      expect((await app.request().get('/ready').expect(200)).body).to.deep.equal({ status: 'ready', checks: {} });
      await app.request().get(`/api/speakers/${UNKNOWN_ID}`).expect(404);
      const metrics = await app.request().get('/metrics').expect(200);
      expect(metrics.text).to.match(/http_requests_total\{method="GET",route="\/api\/speakers\/:id",status="404"\} 1/);
    });

    it('without JWKS_JSON the memory profile verifies no token: reads work, writes are 401', async () => {
      const config = loadSpeakerConfig({ PROFILE: 'memory', LOG_LEVEL: 'silent' });
      const http = createApp(createContainer(config), config, { defaultMetrics: false });
      await requestTo(http.app).get('/api/speakers').expect(200);
      const res = await requestTo(http.app).post('/api/speakers').set('Authorization', await app.bearer(actors.admin)).send({ name: 'A' });
      expectProblem(res, 401, 'AUTH.TOKEN_INVALID');
    });
  });
});
