import { expect } from 'chai';
import { malformedBodies, sendRaw } from '@conference/http-kit/testing';
import { sessionApi, sessionBody, type SessionApiHarness } from './session-test-kit.js';

const BODIES_PER_ROUTE = 520;

/**
 * Every write route that takes a body gets hundreds of malformed ones (wrong types, missing and
 * extra fields, odd roots, deep nesting, huge and broken strings, invalid JSON, wrong media types):
 * each must be refused with a 4xx (the pipeline's own status where it decides), and nothing may be
 * written — neither a session nor a message.
 */
describe('session-service HTTP: fuzzing the write routes with malformed bodies', function () {
  this.timeout(120_000);
  let api: SessionApiHarness;
  let sessionId: string;
  let speakerId: string;
  before(async () => {
    api = await sessionApi();
    speakerId = api.addSpeaker().id;
    sessionId = (await api.createSession()).id;
  });

  const snapshot = () => JSON.stringify({ sessions: api.storedSessions(), outbox: api.store.outbox() });

  const routes = [
    { name: 'POST /api/sessions', method: 'post' as const, path: () => '/api/sessions', sample: () => sessionBody({ speakerIds: [speakerId] }), seed: 101 },
    // PATCH changes only what it is sent, so a body missing its one change is a legal no-op (200,
    // nothing written). The sample changes one field; every other variation must be refused.
    { name: 'PATCH /api/sessions/:id', method: 'patch' as const, path: () => `/api/sessions/${sessionId}`, sample: () => ({ version: 1, title: 'A new title' }), seed: 202, noOp: 'title missing' },
    { name: 'POST /api/sessions/:id/speakers', method: 'post' as const, path: () => `/api/sessions/${sessionId}/speakers`, sample: () => ({ speakerId }), seed: 303 },
  ];

  for (const route of routes) {
    it(`${route.name}: ${BODIES_PER_ROUTE} malformed bodies, no 5xx, nothing written`, async () => {
      const before = snapshot();
      const bearer = await api.bearer('organizer');
      const bodies = malformedBodies(route.seed, BODIES_PER_ROUTE, { sample: route.sample() });
      for (const body of bodies) {
        const res = await sendRaw(api.request()[route.method](route.path()).set('Authorization', bearer), body.body, body.contentType);
        if (body.name === route.noOp) {
          expect(res.status, body.name).to.equal(200);
          expect(res.body.version, body.name).to.equal(1);
          continue;
        }
        expect(res.status, `${body.name}: ${JSON.stringify(res.body)}`).to.be.within(400, 499);
        if (body.expectedStatus) expect(res.status, body.name).to.equal(body.expectedStatus);
        expect(res.headers['content-type'], body.name).to.match(/^application\/problem\+json/);
      }
      expect(snapshot()).to.equal(before);
      expect(bodies).to.have.length.of.at.least(500);
    });
  }

  it('the samples themselves are accepted (so the refusals above are the bodies\' doing)', async () => {
    const bearer = await api.bearer('organizer');
    await api.request().post(`/api/sessions/${sessionId}/speakers`).set('Authorization', bearer).send({ speakerId }).expect(200);
    await api.request().patch(`/api/sessions/${sessionId}`).set('Authorization', bearer).send({ version: 2, title: 'A new title' }).expect(200);
    await api.request().post('/api/sessions').set('Authorization', bearer).send(sessionBody({ speakerIds: [speakerId] })).expect(201);
  });
});
