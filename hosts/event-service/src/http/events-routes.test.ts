import { expect } from 'chai';
import type { EventView } from '@conference/event';
import { EventDetailViewCodec, EventPageCodec } from './schemas.js';
import { PROBLEM, SAMPLE_EVENT, expectEvent, expectShape, inDays, routeTestKit, type RouteTestKit } from './route-test-kit.js';

describe('event service HTTP: /api/events', () => {
  let kit: RouteTestKit;
  beforeEach(async () => {
    kit = await routeTestKit();
  });

  describe('POST /api/events', () => {
    it('201: a draft owned by the organizer, with Location, ETag and the view of DESIGN §3', async () => {
      const res = await kit.request().post('/api/events').set('Authorization', await kit.bearer(kit.organizer)).send(SAMPLE_EVENT).expect(201);
      expectEvent(res.body);
      expect(res.body).to.include({ title: SAMPLE_EVENT.title, status: 'draft', organizerId: kit.organizer.userId, capacity: 2, seatsTaken: 0, seatsLeft: 2, version: 1 });
      expect(res.headers['location']).to.equal(`/api/events/${res.body.id}`);
      expect(res.headers['etag']).to.equal('"1"');
      expect(kit.store.state.events.has(res.body.id)).to.equal(true);
    });

    it('admins create events too; description may be left out', async () => {
      const { description: _left, ...withoutDescription } = SAMPLE_EVENT;
      const res = await kit.request().post('/api/events').set('Authorization', await kit.bearer(kit.admin)).send(withoutDescription).expect(201);
      expect(res.body.description).to.equal('');
    });

    it('403 EVENT.ORGANIZER_ROLE_REQUIRED for an attendee, and nothing is written', async () => {
      const before = kit.fingerprint();
      const res = await kit.request().post('/api/events').set('Authorization', await kit.bearer(kit.attendee())).send(SAMPLE_EVENT).expect(403);
      expect(res.headers['content-type']).to.match(PROBLEM);
      expect(res.body.code).to.equal('EVENT.ORGANIZER_ROLE_REQUIRED');
      expect(kit.fingerprint()).to.equal(before);
    });

    it('400 EVENT.INVALID when it ends before it starts', async () => {
      const res = await kit.request().post('/api/events').set('Authorization', await kit.bearer(kit.organizer))
        .send({ ...SAMPLE_EVENT, endsAt: inDays(29) }).expect(400);
      expect(res.body.code).to.equal('EVENT.INVALID');
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.include('endsAt');
    });
  });

  describe('GET /api/events/:id', () => {
    it('200 for anyone once published: seats taken/left, waitlist, schedule and ETag', async () => {
      const event = await kit.published();
      await kit.enroll(event.id, kit.attendee());
      const res = await kit.request().get(`/api/events/${event.id}`).expect(200);
      expectShape(EventDetailViewCodec, res.body);
      expect(res.body).to.include({ id: event.id, status: 'published', seatsTaken: 1, seatsLeft: 1, waitlisted: 0 });
      expect(res.body.schedule).to.deep.equal([]);
      expect(res.headers['etag']).to.equal(`"${res.body.version}"`);
    });

    it('a draft: its organizer and admins see it; anyone else gets 404, as if it did not exist', async () => {
      const draft = await kit.draft();
      await kit.request().get(`/api/events/${draft.id}`).set('Authorization', await kit.bearer(kit.organizer)).expect(200);
      await kit.request().get(`/api/events/${draft.id}`).set('Authorization', await kit.bearer(kit.admin)).expect(200);
      const res = await kit.request().get(`/api/events/${draft.id}`).expect(404);
      expect(res.body.code).to.equal('EVENT.NOT_FOUND');
      await kit.request().get(`/api/events/${draft.id}`).set('Authorization', await kit.bearer(kit.otherOrganizer)).expect(404);
    });

    it('accepts an id in upper case', async () => {
      const event = await kit.published();
      await kit.request().get(`/api/events/${event.id.toUpperCase()}`).expect(200);
    });
  });

  describe('GET /api/events', () => {
    it('pages by start time with a cursor, no duplicates or gaps when events are added between pages', async () => {
      const created: EventView[] = [];
      for (let day = 1; day <= 5; day++) created.push(await kit.published({ title: `Day ${day}`, startsAt: inDays(day), endsAt: inDays(day, 2) }));
      const first = await kit.request().get('/api/events?limit=2').expect(200);
      expectShape(EventPageCodec, first.body);
      expect(first.body.items.map((e: EventView) => e.title)).to.deep.equal(['Day 1', 'Day 2']);
      await kit.published({ title: 'Day 0', startsAt: inDays(0.5), endsAt: inDays(0.5, 1) });
      const seen = [...first.body.items];
      let cursor: string | null = first.body.nextCursor;
      while (cursor) {
        const page = await kit.request().get('/api/events').query({ limit: 2, cursor }).expect(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      }
      expect(seen.map((e: EventView) => e.title)).to.deep.equal(['Day 1', 'Day 2', 'Day 3', 'Day 4', 'Day 5']);
    });

    it('filters by status, time window and title text; drafts only for their organizer', async () => {
      const early = await kit.published({ title: 'Early bird', startsAt: inDays(2), endsAt: inDays(2, 1) });
      await kit.published({ title: 'Late show', startsAt: inDays(40), endsAt: inDays(40, 1) });
      const draft = await kit.draft({ title: 'Secret draft' });
      const titles = async (query: string, auth?: string) => {
        const req = kit.request().get(`/api/events?${query}`);
        if (auth) req.set('Authorization', auth);
        return ((await req.expect(200)).body.items as EventView[]).map((e) => e.title);
      };
      expect(await titles('q=bird')).to.deep.equal(['Early bird']);
      expect(await titles(`to=${encodeURIComponent(inDays(10))}`)).to.deep.equal(['Early bird']);
      expect(await titles(`from=${encodeURIComponent(inDays(35))}`)).to.deep.equal(['Late show']);
      expect(await titles('status=draft')).to.deep.equal([]);
      expect(await titles('status=draft', await kit.bearer(kit.organizer))).to.deep.equal([draft.title]);
      expect(await titles('status=draft', await kit.bearer(kit.otherOrganizer))).to.deep.equal([]);
      expect(await titles(`organizerId=${early.organizerId}&status=published`)).to.have.members(['Early bird', 'Late show']);
    });

    it('enrolled=me: the events the caller is enrolled in; 401 anonymously', async () => {
      const mine = await kit.published({ title: 'Mine' });
      await kit.published({ title: 'Not mine' });
      const me = kit.attendee();
      await kit.enroll(mine.id, me);
      const res = await kit.request().get('/api/events?enrolled=me').set('Authorization', await kit.bearer(me)).expect(200);
      expect(res.body.items.map((e: EventView) => e.title)).to.deep.equal(['Mine']);
      const anonymous = await kit.request().get('/api/events?enrolled=me').expect(401);
      expect(anonymous.body.code).to.equal('EVENT.AUTHENTICATION_REQUIRED');
      expect(anonymous.headers['www-authenticate']).to.equal('Bearer');
    });

    it('400 naming each bad query parameter', async () => {
      const res = await kit.request().get('/api/events?limit=0&status=open&from=yesterday&enrolled=you').expect(400);
      expect(res.body.code).to.equal('REQUEST.INVALID_QUERY');
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.have.members(['limit', 'status', 'from', 'enrolled']);
      const unknown = await kit.request().get('/api/events?colour=red').expect(400);
      expect(unknown.body.errors).to.deep.equal([{ path: 'colour', message: 'is not a known field' }]);
      const cursor = await kit.request().get('/api/events?cursor=not-ours').expect(400);
      expect(cursor.body.errors[0].path).to.equal('cursor');
    });
  });

  describe('PATCH /api/events/:id', () => {
    it('200 with the new version as ETag; If-Match or body version guards it (409 when stale)', async () => {
      const event = await kit.draft();
      const auth = await kit.bearer(kit.organizer);
      const res = await kit.request().patch(`/api/events/${event.id}`).set('Authorization', auth).set('If-Match', '"1"').send({ title: 'Renamed' }).expect(200);
      expectEvent(res.body);
      expect(res.body).to.include({ title: 'Renamed', version: 2 });
      expect(res.headers['etag']).to.equal('"2"');
      const stale = await kit.request().patch(`/api/events/${event.id}`).set('Authorization', auth).set('If-Match', '"1"').send({ title: 'Again' }).expect(409);
      expect(stale.body.code).to.equal('EVENT.STALE_VERSION');
      await kit.request().patch(`/api/events/${event.id}`).set('Authorization', auth).send({ title: 'Again', version: 1 }).expect(409);
      await kit.request().patch(`/api/events/${event.id}`).set('Authorization', auth).send({ capacity: 10, version: 2 }).expect(200);
      expect(kit.store.state.events.get(event.id)).to.include({ title: 'Renamed', capacity: 10, version: 3 });
    });

    it('raising the capacity gives the new seats to the waitlist at once', async () => {
      const event = await kit.published({ capacity: 1 });
      const [first, second] = [kit.attendee(), kit.attendee()];
      await kit.enroll(event.id, first);
      await kit.enroll(event.id, second);
      const res = await kit.request().patch(`/api/events/${event.id}`).set('Authorization', await kit.bearer(kit.organizer)).send({ capacity: 2 }).expect(200);
      expect(res.body).to.include({ seatsTaken: 2, seatsLeft: 0 });
    });

    it('400 when If-Match and the body disagree; 409 on a cancelled event', async () => {
      const event = await kit.published();
      const auth = await kit.bearer(kit.organizer);
      const mismatch = await kit.request().patch(`/api/events/${event.id}`).set('Authorization', auth).set('If-Match', '"2"').send({ version: 1 }).expect(400);
      expect(mismatch.body.errors[0].path).to.equal('version');
      await kit.request().post(`/api/events/${event.id}/cancel`).set('Authorization', auth).expect(200);
      const readOnly = await kit.request().patch(`/api/events/${event.id}`).set('Authorization', auth).send({ title: 'Too late' }).expect(409);
      expect(readOnly.body.code).to.equal('EVENT.CANCELLED');
    });
  });

  describe('DELETE /api/events/:id', () => {
    it('204 for a draft; it is gone', async () => {
      const event = await kit.draft();
      const res = await kit.request().delete(`/api/events/${event.id}`).set('Authorization', await kit.bearer(kit.organizer)).expect(204);
      expect(res.text).to.equal('');
      expect(kit.store.state.events.has(event.id)).to.equal(false);
      await kit.request().get(`/api/events/${event.id}`).set('Authorization', await kit.bearer(kit.organizer)).expect(404);
    });

    it('409 EVENT.NOT_DRAFT for a published event; 409 EVENT.STALE_VERSION with an old If-Match', async () => {
      const published = await kit.published();
      const auth = await kit.bearer(kit.organizer);
      expect((await kit.request().delete(`/api/events/${published.id}`).set('Authorization', auth).expect(409)).body.code).to.equal('EVENT.NOT_DRAFT');
      const draft = await kit.draft();
      await kit.request().patch(`/api/events/${draft.id}`).set('Authorization', auth).send({ title: 'v2' }).expect(200);
      expect((await kit.request().delete(`/api/events/${draft.id}`).set('Authorization', auth).set('If-Match', '"1"').expect(409)).body.code).to.equal('EVENT.STALE_VERSION');
      await kit.request().delete(`/api/events/${draft.id}`).set('Authorization', auth).set('If-Match', '"2"').expect(204);
    });
  });

  describe('POST /api/events/:id/publish and /cancel', () => {
    it('publish: 200 published with ETag, event.published in the outbox; again: 200, nothing new sent', async () => {
      const event = await kit.draft();
      const auth = await kit.bearer(kit.organizer);
      const res = await kit.request().post(`/api/events/${event.id}/publish`).set('Authorization', auth).send({ version: 1 }).expect(200);
      expectEvent(res.body);
      expect(res.body).to.include({ status: 'published', version: 2 });
      expect(res.headers['etag']).to.equal('"2"');
      const published = () => kit.store.outbox().filter((m) => m.envelope.type === 'event.published').length;
      expect(published()).to.equal(1);
      await kit.request().post(`/api/events/${event.id}/publish`).set('Authorization', auth).expect(200);
      expect(published()).to.equal(1);
    });

    it('publish carries the request id as the message correlationId', async () => {
      const event = await kit.draft();
      await kit.request().post(`/api/events/${event.id}/publish`).set('Authorization', await kit.bearer(kit.organizer)).set('X-Request-Id', 'req-publish-1').expect(200);
      const message = kit.store.outbox().find((m) => m.envelope.type === 'event.published');
      expect(message?.envelope.correlationId).to.equal('req-publish-1');
    });

    it('cancel: 200 cancelled; event.cancelled names every enrolled attendee; a draft cannot be cancelled (409)', async () => {
      const event = await kit.published();
      const attendee = kit.attendee();
      await kit.enroll(event.id, attendee);
      const auth = await kit.bearer(kit.organizer);
      const res = await kit.request().post(`/api/events/${event.id}/cancel`).set('Authorization', auth).set('Content-Type', 'application/json').send('{}').expect(200);
      expect(res.body.status).to.equal('cancelled');
      const cancelled = kit.store.outbox().find((m) => m.envelope.type === 'event.cancelled');
      expect((cancelled?.envelope.data as { attendees: { userId: string }[] }).attendees.map((a) => a.userId)).to.deep.equal([attendee.userId]);
      const draft = await kit.draft();
      expect((await kit.request().post(`/api/events/${draft.id}/cancel`).set('Authorization', auth).expect(409)).body.code).to.equal('EVENT.INVALID_TRANSITION');
    });

    it('an admin may publish and cancel another organizer\'s event', async () => {
      const event = await kit.draft();
      const admin = await kit.bearer(kit.admin);
      await kit.request().post(`/api/events/${event.id}/publish`).set('Authorization', admin).expect(200);
      await kit.request().post(`/api/events/${event.id}/cancel`).set('Authorization', admin).expect(200);
    });
  });

  it('/health, /ready (nothing outside the process in the memory profile) and /metrics by route template', async () => {
    await kit.request().get('/health').expect(200, { status: 'ok' });
    expect((await kit.request().get('/ready').expect(200)).body).to.deep.equal({ status: 'ready', checks: {} });
    const event = await kit.published();
    await kit.request().get(`/api/events/${event.id}`).expect(200);
    const metrics = await kit.request().get('/metrics').expect(200);
    expect(metrics.text).to.contain('http_requests_total{method="GET",route="/api/events/:id",status="200"} 1');
    kit.http.readiness.setDraining();
    expect((await kit.request().get('/ready').expect(503)).body.status).to.equal('draining');
    await kit.request().get('/health').expect(200);
  });

  it('every answer carries a request id (echoed when sane) and security headers', async () => {
    const res = await kit.request().get('/api/events').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).to.equal('abc-123');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    const generated = await kit.request().get('/api/events').expect(200);
    expect(generated.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });
});
