import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { infrastructureRequired, requirePostgres } from '@conference/adapters-postgres/testing';
import { DEFAULT_RETRY_DELAYS_MS, queuesOf } from '@conference/adapters-rabbitmq';
import { createTestBroker, requireRabbitMq, type TestBroker } from '@conference/adapters-rabbitmq/testing';
import { ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER } from '@conference/event';
import { AUDIT_CONSUMER, EMAIL_CONSUMER } from '@conference/notifications';
import { SPEAKER_DELETED_CONSUMER } from '@conference/session';

/**
 * DESIGN §1 and §6 end to end: `npm run stack`'s runner (scripts/stack.mjs) starts every service
 * as its own processes at the default instance counts, PostgreSQL and RabbitMQ from the machine,
 * the nginx gateway in front; everything below goes through the gateway only.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface StackInstance {
  readonly service: string;
  readonly index: number;
  readonly name: string;
  readonly port: number;
  readonly logFile: string;
  readonly pid: number | undefined;
}

interface Stack {
  readonly url: string;
  readonly gatewayUrl: string;
  readonly logDir: string;
  readonly mailboxDir: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly counts: Record<string, number>;
  readonly instances: readonly StackInstance[];
  readonly startupMs: number;
  readonly nginx: { readonly pid?: number };
  pids(): number[];
  kill(service: string, index: number, signal?: NodeJS.Signals): Promise<StackInstance>;
  restart(service: string, index: number): Promise<StackInstance>;
  stop(): Promise<void>;
}

interface StackModule {
  startStack(options: Record<string, unknown>): Promise<Stack>;
}

interface Reply {
  readonly status: number;
  readonly type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly headers: Headers;
}

const nginxInstalled = (): boolean => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const hours = (date: Date, n: number) => new Date(date.getTime() + n * 3_600_000);

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs` naming `what`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

describe('@infra the platform through the nginx gateway (npm run stack: DESIGN §1, §6)', function () {
  // The whole file stays under ~2 minutes on a 2-core machine; start-up is most of it.
  this.timeout(120_000);
  let stack: Stack | undefined;
  let dir: string;
  let everyPid: number[] = [];
  let broker: TestBroker | undefined;

  before(async function () {
    await requirePostgres(this);
    await requireRabbitMq(this);
    if (!nginxInstalled()) {
      const problem = 'nginx is not installed (apt-get install -y nginx)';
      if (infrastructureRequired()) throw new Error(`${problem} (REQUIRE_INFRA=1, so this fails instead of skipping)`);
      console.warn(`  skipped: ${problem}`);
      this.skip();
    }
    const { startStack } = (await import(pathToFileURL(join(ROOT, 'scripts/stack.mjs')).href)) as StackModule;
    dir = mkdtempSync(join(tmpdir(), 'conference-stack-'));
    // Its own exchange and queue names: another stack or test on this broker cannot take its messages.
    broker = createTestBroker('stack');
    const port = 18_000 + Math.floor(Math.random() * 1000);
    stack = await startStack({
      dir,
      port,
      // Below the ephemeral range (32768+), so no outgoing connection holds one of them.
      basePort: 20_000 + Math.floor(Math.random() * 25) * 500,
      // The default counts (user 3, event 5, session 2, speaker 1) and the notifier.
      counts: { user: 3, event: 5, session: 2, speaker: 1, notifier: 1 },
      adminEmail: `e2e-admin-${randomBytes(4).toString('hex')}@example.org`,
      adminPassword: randomBytes(12).toString('base64url'),
      // Many logins from one address in a few seconds: the per-address limit is for people, not this test.
      gateway: { authRate: '200r/s', authBurst: 400 },
      amqpExchange: broker.exchange,
      amqpQueueSuffix: broker.suffix,
      log: () => undefined,
      readyTimeoutMs: 90_000,
    });
    console.log(`    stack up in ${(stack.startupMs / 1000).toFixed(1)} s: ${Object.entries(stack.counts).map(([s, n]) => `${s}×${n}`).join(', ')} behind ${stack.gatewayUrl}`);
  });

  after(async () => {
    await stack?.stop();
    if (broker) {
      // The services' own durable queues (named with the suffix), then the exchange.
      const channel = await (await broker.admin()).createChannel();
      for (const consumer of [ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER, SPEAKER_DELETED_CONSUMER, AUDIT_CONSUMER, EMAIL_CONSUMER]) {
        for (const queue of queuesOf({ queue: `${consumer}.${broker.suffix}`, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS })) await channel.deleteQueue(queue);
      }
      await channel.close();
      await broker.cleanup();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // ------------------------------------------------------------------ helpers

  const call = async (method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${stack!.gatewayUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, type, body: type.includes('json') && text !== '' ? JSON.parse(text) : text, headers: response.headers };
  };

  const expectStatus = (reply: Reply, status: number, what: string) => {
    expect(reply.status, `${what}: ${JSON.stringify(reply.body)}`).to.equal(status);
    return reply.body;
  };

  interface Account { id: string; email: string; password: string; token: string }
  const password = 'correct horse battery staple';
  const register = async (name: string): Promise<Account> => {
    const email = `${name}.${randomBytes(4).toString('hex')}@example.org`;
    const user = expectStatus(await call('POST', '/api/auth/register', { body: { email, password, name } }), 201, `register ${name}`);
    return { id: user.id, email, password, token: await login(email, password) };
  };
  const login = async (email: string, secret: string): Promise<string> =>
    expectStatus(await call('POST', '/api/auth/login', { body: { email, password: secret } }), 200, `login ${email}`).accessToken;

  const mailbox = (): Array<{ to: string; subject: string; text: string }> => {
    if (!existsSync(stack!.mailboxDir)) return [];
    return readdirSync(stack!.mailboxDir).filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(stack!.mailboxDir, name), 'utf8')) as { to: string; subject: string; text: string });
  };

  const enrollmentOf = async (who: Account, eventId: string): Promise<{ status: string; position?: number } | undefined> => {
    const reply = await call('GET', `/api/events/${eventId}/enrollments/me`, { token: who.token });
    return reply.status === 200 ? reply.body : undefined;
  };
  const until = (who: Account, eventId: string, status: string) =>
    eventually(`${who.email} ${status} in ${eventId}`, async () => {
      const enrollment = await enrollmentOf(who, eventId);
      return enrollment?.status === status ? enrollment : undefined;
    });

  // ------------------------------------------------------------------ the flows

  let admin: string;
  let organizer: Account;
  const attendees: Account[] = [];
  let speakerId: string;
  let eventId: string;
  let sessionId: string;

  it('registers and logs in; the admin from the configuration makes an organizer', async () => {
    admin = await login(stack!.admin.email, stack!.admin.password);
    organizer = await register('organizer');
    for (const name of ['ada', 'brian', 'chloe']) attendees.push(await register(name));
    const me = expectStatus(await call('GET', '/api/users/me', { token: attendees[0]!.token }), 200, 'me');
    expect(me).to.include({ id: attendees[0]!.id, email: attendees[0]!.email, role: 'attendee' });

    expectStatus(await call('PATCH', `/api/users/${organizer.id}/role`, { token: admin, body: { role: 'organizer' } }), 200, 'promote');
    organizer.token = await login(organizer.email, organizer.password);
    expect(expectStatus(await call('GET', '/api/users/me', { token: organizer.token }), 200, 'me').role).to.equal('organizer');
  });

  it('creates a speaker, an event and a session with that speaker (gRPC); the session reaches the schedule (RabbitMQ)', async () => {
    speakerId = expectStatus(await call('POST', '/api/speakers', {
      token: organizer.token, body: { name: 'Grace Hopper', headline: 'Compilers', bio: 'Rear admiral', company: 'US Navy' },
    }), 201, 'speaker').id;
    const startsAt = days(30);
    eventId = expectStatus(await call('POST', '/api/events', {
      token: organizer.token,
      body: { title: 'Gateway Summit', description: 'Through nginx', venue: 'Hall 1', startsAt: startsAt.toISOString(), endsAt: hours(startsAt, 8).toISOString(), capacity: 2 },
    }), 201, 'event').id;

    const unknownSpeaker = await call('POST', '/api/sessions', {
      token: organizer.token,
      body: { eventId, title: 'Nobody', abstract: 'No such speaker', startsAt: hours(startsAt, 1).toISOString(), endsAt: hours(startsAt, 2).toISOString(), room: 'A', speakerIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknownSpeaker.status, JSON.stringify(unknownSpeaker.body)).to.be.oneOf([404, 422]);

    const session = expectStatus(await call('POST', '/api/sessions', {
      token: organizer.token,
      body: { eventId, title: 'Nanoseconds', abstract: 'A length of wire', startsAt: hours(startsAt, 1).toISOString(), endsAt: hours(startsAt, 2).toISOString(), room: 'A', speakerIds: [speakerId] },
    }), 201, 'session');
    sessionId = session.id;
    expect(session.speakerIds).to.deep.equal([speakerId]);
    // The speaker's summary, embedded through gRPC BatchGetSpeakers.
    const details = expectStatus(await call('GET', `/api/sessions/${sessionId}`), 200, 'session details');
    expect(details.speakers).to.have.length(1);
    expect(details.speakers[0]).to.include({ id: speakerId, name: 'Grace Hopper' });

    const schedule = await eventually('the session in the event schedule', async () => {
      // Still a draft: only its organizer (or an admin) sees it.
      const reply = await call('GET', `/api/events/${eventId}/schedule`, { token: organizer.token });
      return reply.status === 200 && (reply.body.sessions as Array<{ sessionId: string }>).some((s) => s.sessionId === sessionId) ? reply.body : undefined;
    });
    expect(schedule.sessions[0]).to.include({ sessionId, title: 'Nanoseconds', room: 'A' });
    const detail = expectStatus(await call('GET', `/api/events/${eventId}`, { token: organizer.token }), 200, 'event detail');
    expect(detail.schedule.map((s: { sessionId: string }) => s.sessionId)).to.deep.equal([sessionId]);
  });

  it('publishes; enrolls until full, waitlists the next, promotes them when a seat frees', async () => {
    expectStatus(await call('POST', `/api/events/${eventId}/publish`, { token: organizer.token }), 200, 'publish');
    const [ada, brian, chloe] = attendees as [Account, Account, Account];

    for (const who of [ada, brian]) {
      expectStatus(await call('POST', '/api/users/me/enrollments', { token: who.token, body: { eventId } }), 202, 'enroll');
      await until(who, eventId, 'enrolled');
    }
    expectStatus(await call('POST', '/api/users/me/enrollments', { token: chloe.token, body: { eventId } }), 202, 'enroll');
    expect(await until(chloe, eventId, 'waitlisted')).to.include({ position: 1 });
    const full = expectStatus(await call('GET', `/api/events/${eventId}`), 200, 'event');
    expect(full).to.include({ seatsTaken: 2, seatsLeft: 0 });

    expectStatus(await call('DELETE', `/api/users/me/enrollments/${eventId}`, { token: ada.token }), 202, 'unenroll');
    await until(chloe, eventId, 'enrolled');
    await until(ada, eventId, 'cancelled');
    expect(expectStatus(await call('GET', `/api/events/${eventId}`), 200, 'event')).to.include({ seatsTaken: 2 });
  });

  it('emails every outcome (mailbox folder) and audits every message (GET /api/audit, admins only)', async () => {
    const [ada, , chloe] = attendees as [Account, Account, Account];
    await eventually('the emails of ada and chloe', async () => {
      const mails = mailbox();
      const toAda = mails.filter((m) => m.to === ada.email);
      const toChloe = mails.filter((m) => m.to === chloe.email);
      // ada: confirmed, then cancelled; chloe: waitlisted, then promoted.
      return toAda.length >= 2 && toChloe.length >= 2 ? true : undefined;
    });
    const subjects = mailbox().filter((m) => m.to === chloe.email).map((m) => m.subject).join(' | ');
    expect(subjects).to.include('Gateway Summit');

    const promoted = await eventually('enrollment.promoted in the audit log', async () => {
      const reply = await call('GET', '/api/audit?type=enrollment.promoted&limit=100', { token: admin });
      if (reply.status !== 200) throw new Error(`audit answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      return (reply.body.items as Array<{ data: { eventId?: string; userId?: string } }>).find((e) => e.data.eventId === eventId);
    });
    expect(promoted.data.userId).to.equal(chloe.id);
    const forbidden = await call('GET', '/api/audit', { token: chloe.token });
    expect(forbidden.status).to.equal(403);
  });

  // ------------------------------------------------------------------ fault isolation

  it('with every event-service instance down, /api/events answers a JSON 503 and every other route keeps working; restarted, it recovers without touching nginx', async () => {
    const nginxPid = stack!.nginx.pid;
    const events = stack!.instances.filter((i) => i.service === 'event');
    expect(events).to.have.length(5);
    await Promise.all(events.map((i) => stack!.kill('event', i.index, 'SIGKILL')));

    const down = await call('GET', '/api/events');
    expect(down.status).to.equal(503);
    expect(down.type).to.include('application/problem+json');
    expect(down.body).to.include({ status: 503 });
    expect(JSON.stringify(down.body)).to.include('event');
    expect(down.headers.get('retry-after')).to.equal('5');

    expectStatus(await call('GET', '/api/users/me', { token: attendees[1]!.token }), 200, 'users/me while events are down');
    expectStatus(await call('GET', '/api/sessions'), 200, 'sessions while events are down');
    expectStatus(await call('GET', '/api/speakers'), 200, 'speakers while events are down');
    expectStatus(await call('GET', `/api/sessions/${sessionId}`), 200, 'a session (gRPC to the speaker service) while events are down');

    await Promise.all(events.map((i) => stack!.restart('event', i.index)));
    const back = await eventually('/api/events answering 200 again', async () => {
      const reply = await call('GET', `/api/events/${eventId}`);
      return reply.status === 200 ? reply.body : undefined;
    }, 40_000, 500);
    expect(back).to.include({ id: eventId });
    expect(stack!.nginx.pid).to.equal(nginxPid);
    expect(stack!.pids()).to.include(nginxPid);
  });

  it('loses no GET while an event-service instance is killed under a stream of requests', async () => {
    // Every instance answering again first (nginx rests an instance it saw fail for fail_timeout).
    await eventually('every event instance ready', async () => {
      const states = await Promise.all(stack!.instances.filter((i) => i.service === 'event')
        .map((i) => fetch(`http://127.0.0.1:${i.port}/ready`).then((r) => r.status, () => 0)));
      return states.every((s) => s === 200) ? true : undefined;
    });
    const statuses: number[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        const reply = await call('GET', `/api/events/${eventId}`).catch(() => ({ status: 0 }) as Reply);
        statuses.push(reply.status);
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await stack!.kill('event', 3, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    running = false;
    await Promise.all(workers);

    const failed = statuses.filter((s) => s !== 200);
    expect(statuses.length).to.be.greaterThan(20);
    expect(failed, `non-200 answers among ${statuses.length}: ${failed.join(', ')}`).to.have.length(0);
    await stack!.restart('event', 3);
  });

  it('stops cleanly: every instance, then nginx; no process survives', async () => {
    everyPid = stack!.pids();
    const master = stack!.nginx.pid!;
    const workers = execFileSync('ps', ['-o', 'pid=', '--ppid', String(master)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
    expect(workers.length).to.be.greaterThan(0);
    everyPid.push(...workers);
    expect(everyPid.length).to.equal(3 + 5 + 2 + 1 + 1 + 1 + workers.length);
    await stack!.stop();
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // Workers leave right after their master; give them a moment.
    await eventually('every process gone', async () => (everyPid.some(alive) ? undefined : true), 5_000, 100);
    expect(stack!.pids()).to.deep.equal([]);
  });
});
