import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startStandalone, type Standalone } from './standalone.js';

const ADMIN = { email: 'admin@conference.test', password: 'admin-password-123', name: 'Ada Admin' };

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown> & { items?: Array<Record<string, unknown>> };
  readonly type: string;
}

async function call(base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Reply['body']) : {}, type: response.headers.get('content-type') ?? '' };
}

/** Polls `check` until it stops throwing: the in-process messages take a moment to arrive. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('the embedded profile (npm start), in process', function () {
  this.timeout(180_000);
  let dataDir: string;
  let platform: Standalone | undefined;
  const start = () =>
    startStandalone({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', admin: ADMIN, retryDelaysMs: [20, 50], env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' } });

  // What the tour creates, checked again after the restart.
  let adminToken = '';
  let eventId = '';
  let sessionId = '';
  const attendees: Array<{ email: string; token: string; id: string }> = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'standalone-tour-'));
    platform = await start();
  });
  after(async () => {
    await platform?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const base = () => platform!.url;

  it('answers /health, /ready and a problem+json 404 on the one URL', async () => {
    expect((await call(base(), 'GET', '/health')).status).to.equal(200);
    const ready = await call(base(), 'GET', '/ready');
    expect(ready.status).to.equal(200);
    expect(Object.keys(ready.body['services'] as object)).to.have.members(['user', 'event', 'session', 'speaker', 'notifier']);
    const missing = await call(base(), 'GET', '/api/nothing-here');
    expect(missing.status).to.equal(404);
    expect(missing.type).to.match(/^application\/problem\+json/);
    expect(missing.body).to.include({ status: 404 });
  });

  it('logs in the admin from configuration and registers attendees', async () => {
    const login = await call(base(), 'POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    expect(login.status).to.equal(200);
    adminToken = login.body['accessToken'] as string;
    expect((login.body['user'] as { role: string }).role).to.equal('admin');
    for (const n of [1, 2, 3]) {
      const email = `attendee${n}@conference.test`;
      const registered = await call(base(), 'POST', '/api/auth/register', { body: { email, password: 'attendee-password-1', name: `Attendee ${n}` } });
      expect(registered.status).to.equal(201);
      const session = await call(base(), 'POST', '/api/auth/login', { body: { email, password: 'attendee-password-1' } });
      expect(session.status).to.equal(200);
      attendees.push({ email, token: session.body['accessToken'] as string, id: registered.body['id'] as string });
    }
  });

  it('creates a speaker, an event (published) and a session that appears in the event schedule', async () => {
    const speaker = await call(base(), 'POST', '/api/speakers', { token: adminToken, body: { name: 'Grace Hopper', headline: 'Rear Admiral', bio: 'COBOL', company: 'US Navy', links: [] } });
    expect(speaker.status).to.equal(201);
    const event = await call(base(), 'POST', '/api/events', {
      token: adminToken,
      body: { title: 'Embedded Conf', description: 'All in one process', venue: 'Localhost', startsAt: '2031-05-04T09:00:00.000Z', endsAt: '2031-05-05T17:00:00.000Z', capacity: 2 },
    });
    expect(event.status).to.equal(201);
    eventId = event.body['id'] as string;
    const published = await call(base(), 'POST', `/api/events/${eventId}/publish`, { token: adminToken, body: {} });
    expect(published.status).to.equal(200);
    expect(published.body['status']).to.equal('published');

    const session = await call(base(), 'POST', '/api/sessions', {
      token: adminToken,
      body: { eventId, title: 'Nanoseconds', abstract: 'A length of wire', startsAt: '2031-05-04T10:00:00.000Z', endsAt: '2031-05-04T11:00:00.000Z', room: 'Main hall', speakerIds: [speaker.body['id']] },
    });
    expect(session.status).to.equal(201);
    sessionId = session.body['id'] as string;

    // The speaker was checked, and is described, through the in-process SpeakerDirectory (GetSpeakersByIds).
    const shown = await call(base(), 'GET', `/api/sessions/${sessionId}`);
    expect(JSON.stringify(shown.body)).to.include('Grace Hopper');
    const refused = await call(base(), 'POST', '/api/sessions', {
      token: adminToken,
      body: { title: 'Ghost talk', abstract: '', startsAt: '2031-05-04T12:00:00.000Z', endsAt: '2031-05-04T13:00:00.000Z', room: 'Annex', speakerIds: ['00000000-0000-4000-8000-00000000beef'] },
    });
    expect(refused.status).to.be.oneOf([404, 422]);

    // session.created → in-process bus → the event service's programme projection.
    await eventually(async () => {
      const schedule = await call(base(), 'GET', `/api/events/${eventId}/schedule`);
      expect(schedule.status).to.equal(200);
      expect(JSON.stringify(schedule.body)).to.include(sessionId);
    });
  });

  it('links an existing session at once through the in-process SessionDirectory, and refuses an unknown one', async () => {
    const unknown = await call(base(), 'POST', `/api/events/${eventId}/sessions`, { token: adminToken, body: { sessionId: '00000000-0000-4000-8000-00000000dead' } });
    expect(unknown.status).to.equal(422);
    const linked = await call(base(), 'POST', `/api/events/${eventId}/sessions`, { token: adminToken, body: { sessionId } });
    expect(linked.status).to.be.oneOf([200, 201]);
  });

  const statusOf = async (attendee: { token: string }) => {
    const reply = await call(base(), 'GET', `/api/events/${eventId}/enrollments/me`, { token: attendee.token });
    return reply.body['status'];
  };

  it('enrolls attendees until the event is full, then waitlists', async () => {
    for (const attendee of attendees) {
      const requested = await call(base(), 'POST', '/api/users/me/enrollments', { token: attendee.token, body: { eventId } });
      expect(requested.status).to.equal(202);
      // One at a time, so who gets a seat is deterministic.
      await eventually(async () => expect(await statusOf(attendee)).to.be.oneOf(['enrolled', 'waitlisted']));
    }
    expect(await statusOf(attendees[0]!)).to.equal('enrolled');
    expect(await statusOf(attendees[1]!)).to.equal('enrolled');
    expect(await statusOf(attendees[2]!)).to.equal('waitlisted');
    const event = await call(base(), 'GET', `/api/events/${eventId}`);
    expect(event.body).to.include({ seatsTaken: 2, seatsLeft: 0 });
  });

  it('promotes the first waitlisted attendee when someone unenrolls', async () => {
    const cancelled = await call(base(), 'DELETE', `/api/users/me/enrollments/${eventId}`, { token: attendees[0]!.token });
    expect(cancelled.status).to.equal(202);
    await eventually(async () => {
      expect(await statusOf(attendees[0]!)).to.equal('cancelled');
      expect(await statusOf(attendees[2]!)).to.equal('enrolled');
    });
  });

  it('emails the outcomes to the file mailbox and audits every message', async () => {
    await eventually(async () => {
      const mail = await platform!.mailbox.read();
      const to = (email: string) => mail.filter((m) => m.to === email).length;
      for (const attendee of attendees) expect(to(attendee.email), attendee.email).to.be.greaterThan(1);
      expect(mail.length).to.be.at.least(8);
    });
    await eventually(async () => {
      const audit = await call(base(), 'GET', '/api/audit?limit=100', { token: adminToken });
      expect(audit.status).to.equal(200);
      const types = new Set(audit.body.items!.map((entry) => entry['type']));
      for (const type of ['user.registered', 'speaker.created', 'session.created', 'user.enrolled', 'enrollment.confirmed', 'enrollment.waitlisted', 'user.unenrolled', 'enrollment.cancelled', 'enrollment.promoted']) {
        expect(types, type).to.include(type);
      }
    });
    expect(await call(base(), 'GET', '/api/audit', { token: attendees[1]!.token })).to.include({ status: 403 });
  });

  it('keeps everything across a stop and a start on the same DATA_DIR', async () => {
    expect(await platform!.bus.settled()).to.equal(true);
    await platform!.stop();
    platform = await start();

    const event = await call(base(), 'GET', `/api/events/${eventId}`);
    expect(event.status).to.equal(200);
    expect(event.body).to.include({ title: 'Embedded Conf', status: 'published', seatsTaken: 2 });
    expect(JSON.stringify((await call(base(), 'GET', `/api/events/${eventId}/schedule`)).body)).to.include(sessionId);
    expect(await statusOf(attendees[1]!)).to.equal('enrolled');
    expect(await statusOf(attendees[2]!)).to.equal('enrolled');
    // A token issued before the restart still verifies: the signing key is kept in DATA_DIR.
    expect((await call(base(), 'GET', '/api/users/me', { token: attendees[1]!.token })).status).to.equal(200);
    const login = await call(base(), 'POST', '/api/auth/login', { body: { email: attendees[0]!.email, password: 'attendee-password-1' } });
    expect(login.status).to.equal(200);
    // Nothing was delivered twice: the outboxes were drained before the stop.
    const audit = await call(base(), 'GET', '/api/audit?limit=100', { token: adminToken });
    const ids = audit.body.items!.map((entry) => entry['messageId']);
    expect(new Set(ids).size).to.equal(ids.length);
  });
});
