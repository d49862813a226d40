import { expect } from 'chai';
import type { EnrollmentView, ProgrammeEntryView } from '@conference/event';
import { calendarEtag } from './programme-routes.js';
import { EnrollmentPageCodec, EnrollmentViewCodec, ProgrammeEntryViewCodec, ScheduleViewCodec } from './schemas.js';
import { PROBLEM, expectShape, routeTestKit, type RouteTestKit } from './route-test-kit.js';

describe('event service HTTP: enrollments', () => {
  let kit: RouteTestKit;
  beforeEach(async () => {
    kit = await routeTestKit();
  });

  it('GET :id/enrollments: the organizer sees every enrollment, oldest first, waitlist positions, paged', async () => {
    const event = await kit.published({ capacity: 1 });
    const users = [kit.attendee(), kit.attendee(), kit.attendee()];
    for (const user of users) {
      await kit.enroll(event.id, user);
      // Enrollments are ordered by creation time (ties by user id): keep the three apart.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const auth = await kit.bearer(kit.organizer);
    const res = await kit.request().get(`/api/events/${event.id}/enrollments`).set('Authorization', auth).expect(200);
    expectShape(EnrollmentPageCodec, res.body);
    expect(res.body.items.map((e: EnrollmentView) => [e.userId, e.status, e.position])).to.deep.equal([
      [users[0]!.userId, 'enrolled', undefined],
      [users[1]!.userId, 'waitlisted', 1],
      [users[2]!.userId, 'waitlisted', 2],
    ]);
    const first = await kit.request().get(`/api/events/${event.id}/enrollments?limit=2`).set('Authorization', auth).expect(200);
    expect(first.body.items).to.have.length(2);
    const rest = await kit.request().get(`/api/events/${event.id}/enrollments`).query({ limit: 2, cursor: first.body.nextCursor }).set('Authorization', auth).expect(200);
    expect(rest.body.items.map((e: EnrollmentView) => e.userId)).to.deep.equal([users[2]!.userId]);
    expect(rest.body.nextCursor).to.equal(null);
    const waitlisted = await kit.request().get(`/api/events/${event.id}/enrollments?status=waitlisted`).set('Authorization', auth).expect(200);
    expect(waitlisted.body.items).to.have.length(2);
  });

  it('GET :id/enrollments: admins too; 403 for another organizer; 403 for an attendee', async () => {
    const event = await kit.published();
    await kit.request().get(`/api/events/${event.id}/enrollments`).set('Authorization', await kit.bearer(kit.admin)).expect(200);
    const other = await kit.request().get(`/api/events/${event.id}/enrollments`).set('Authorization', await kit.bearer(kit.otherOrganizer)).expect(403);
    expect(other.body.code).to.equal('EVENT.FORBIDDEN');
    await kit.request().get(`/api/events/${event.id}/enrollments`).set('Authorization', await kit.bearer(kit.attendee())).expect(403);
  });

  it('GET :id/enrollments/me: the caller\'s own enrollment with its waitlist position; 404 ENROLLMENT.NOT_FOUND when none', async () => {
    const event = await kit.published({ capacity: 1 });
    const [seated, waiting, stranger] = [kit.attendee(), kit.attendee(), kit.attendee()];
    await kit.enroll(event.id, seated);
    await kit.enroll(event.id, waiting);
    const mine = await kit.request().get(`/api/events/${event.id}/enrollments/me`).set('Authorization', await kit.bearer(seated)).expect(200);
    expectShape(EnrollmentViewCodec, mine.body);
    expect(mine.body).to.include({ eventId: event.id, userId: seated.userId, status: 'enrolled' });
    expect(mine.headers['cache-control']).to.equal('private, no-store');
    const queued = await kit.request().get(`/api/events/${event.id}/enrollments/me`).set('Authorization', await kit.bearer(waiting)).expect(200);
    expect(queued.body).to.include({ status: 'waitlisted', position: 1 });
    const none = await kit.request().get(`/api/events/${event.id}/enrollments/me`).set('Authorization', await kit.bearer(stranger)).expect(404);
    expect(none.body.code).to.equal('ENROLLMENT.NOT_FOUND');
  });
});

describe('event service HTTP: programme', () => {
  let kit: RouteTestKit;
  beforeEach(async () => {
    kit = await routeTestKit();
  });

  it('POST :id/sessions: 201 with Location when added, 200 when already listed; the schedule shows it', async () => {
    const event = await kit.published();
    const session = kit.session({ title: 'Keynote' });
    const auth = await kit.bearer(kit.organizer);
    const added = await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', auth).send({ sessionId: session.sessionId }).expect(201);
    expectShape(ProgrammeEntryViewCodec, added.body);
    expect(added.body).to.include({ sessionId: session.sessionId, title: 'Keynote', linkedManually: true });
    expect(added.headers['location']).to.equal(`/api/events/${event.id}/schedule`);
    await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', auth).send({ sessionId: session.sessionId }).expect(200);
    const schedule = await kit.request().get(`/api/events/${event.id}/schedule`).expect(200);
    expectShape(ScheduleViewCodec, schedule.body);
    expect(schedule.body.sessions.map((s: ProgrammeEntryView) => s.sessionId)).to.deep.equal([session.sessionId]);
    const detail = await kit.request().get(`/api/events/${event.id}`).expect(200);
    expect(detail.body.schedule.map((s: ProgrammeEntryView) => s.title)).to.deep.equal(['Keynote']);
  });

  it('POST :id/sessions: 422 EVENT.SESSION_NOT_FOUND for an unknown session, 409 for a session of another event', async () => {
    const event = await kit.published();
    const auth = await kit.bearer(kit.organizer);
    const before = kit.fingerprint();
    const unknown = await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', auth).send({ sessionId: '5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11' }).expect(422);
    expect(unknown.headers['content-type']).to.match(PROBLEM);
    expect(unknown.body.code).to.equal('EVENT.SESSION_NOT_FOUND');
    expect(unknown.body.errors).to.deep.equal([{ path: 'sessionId', message: 'no session has this id' }]);
    const elsewhere = kit.session({ eventId: '0e7c2f55-9d4b-4a3c-8a41-1b2c3d4e5f60' });
    const other = await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', auth).send({ sessionId: elsewhere.sessionId }).expect(409);
    expect(other.body.code).to.equal('EVENT.SESSION_OF_ANOTHER_EVENT');
    expect(kit.fingerprint()).to.equal(before);
  });

  it('POST :id/sessions: 503 problem with Retry-After when the session service cannot answer; nothing written', async () => {
    const event = await kit.published();
    const session = kit.session();
    kit.directory.reachable = false;
    const before = kit.fingerprint();
    const res = await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', await kit.bearer(kit.organizer)).send({ sessionId: session.sessionId }).expect(503);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body).to.include({ status: 503, code: 'EVENT.SESSION_DIRECTORY_UNAVAILABLE' });
    expect(res.headers['retry-after']).to.equal('5');
    expect(kit.fingerprint()).to.equal(before);
    kit.directory.reachable = true;
    await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', await kit.bearer(kit.organizer)).send({ sessionId: session.sessionId }).expect(201);
  });

  it('DELETE :id/sessions/:sessionId: 204, and 204 again (idempotent); the schedule no longer lists it', async () => {
    const event = await kit.published();
    const session = kit.session();
    const auth = await kit.bearer(kit.organizer);
    await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', auth).send({ sessionId: session.sessionId }).expect(201);
    await kit.request().delete(`/api/events/${event.id}/sessions/${session.sessionId}`).set('Authorization', auth).expect(204);
    await kit.request().delete(`/api/events/${event.id}/sessions/${session.sessionId}`).set('Authorization', auth).expect(204);
    expect((await kit.request().get(`/api/events/${event.id}/schedule`).expect(200)).body.sessions).to.deep.equal([]);
  });

  it('GET :id/schedule.ics: text/calendar with a file name, caching headers and a validator that gives 304', async () => {
    const event = await kit.published({ title: 'Summit, 2027; «live»' });
    const session = kit.session({ title: 'Keynote' });
    await kit.request().post(`/api/events/${event.id}/sessions`).set('Authorization', await kit.bearer(kit.organizer)).send({ sessionId: session.sessionId }).expect(201);
    const res = await kit.request().get(`/api/events/${event.id}/schedule.ics`).buffer(true).parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    }).expect(200);
    expect(res.headers['content-type']).to.equal('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).to.equal(`inline; filename="event-${event.id}.ics"`);
    expect(res.headers['cache-control']).to.equal('public, max-age=300');
    expect(res.headers['vary']).to.match(/Authorization/);
    const text = res.body as string;
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).to.equal(true);
    expect(text).to.contain('SUMMARY:Summit\\, 2027\\; «live»');
    expect(text).to.contain('SUMMARY:Keynote');
    expect(text.match(/BEGIN:VEVENT/g)).to.have.length(2);
    expect(res.headers['etag']).to.equal(calendarEtag(text));
    await kit.request().get(`/api/events/${event.id}/schedule.ics`).set('If-None-Match', res.headers['etag']!).expect(304);
    // A change to the schedule changes the validator.
    await kit.request().delete(`/api/events/${event.id}/sessions/${session.sessionId}`).set('Authorization', await kit.bearer(kit.organizer)).expect(204);
    await kit.request().get(`/api/events/${event.id}/schedule.ics`).set('If-None-Match', res.headers['etag']!).expect(200);
  });

  it('GET :id/schedule.ics of a draft: its organizer only, and then not for shared caches', async () => {
    const draft = await kit.draft();
    await kit.request().get(`/api/events/${draft.id}/schedule.ics`).expect(404);
    const res = await kit.request().get(`/api/events/${draft.id}/schedule.ics`).set('Authorization', await kit.bearer(kit.organizer)).expect(200);
    expect(res.headers['cache-control']).to.equal('private, max-age=300');
  });
});
