import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { sql } from 'slonik';
import { MessageFactory, RandomIdGenerator, SystemClock, jsonLogger, silentLogger, unwrap, type Actor, type Logger, type MessageEnvelope } from '@conference/kernel';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { AmqpConnection, AmqpPublisher, listDeadLetters, messageCorrelation, replayDeadLetters, type ServiceMessaging } from '@conference/adapters-rabbitmq';
import { createTestBroker, eventually, requireRabbitMq, type TestBroker } from '@conference/adapters-rabbitmq/testing';
import { CancelEvent } from '@conference/event';
import { anEnrollment, anEvent } from '@conference/event/testing';
import { createSession } from '@conference/session';
import { CancelEnrollment, RegisterUser, RequestEnrollment } from '@conference/user';
import { FakePasswordHasher } from '@conference/user/testing';
import { emailIdOf, type AuditEntryView, type MailMessage, type Mailer } from '@conference/notifications';
import { createPostgresUserUnitOfWork, createUserMessaging, userMigrationSets } from '@conference/user-service';
import { createEventMessaging, createPostgresEventUnitOfWork, eventMigrationSets } from '@conference/event-service';
import { createPostgresSessionUnitOfWork, createSessionMessaging, sessionMigrationSets } from '@conference/session-service';
// The hosts' index files do not export their messaging yet (the lead wires them); until then, from their build output.
import { FileMailbox, createNotifierMessaging, createPostgresNotificationStore, notifierMigrationSets, startNotifier, type Notifier } from '@conference/notifier';

/** DEBUG_AMQP=1 shows the services' logs (the failure cases fail on purpose, so they are off by default). */
const shown = process.env.DEBUG_AMQP === '1' ? jsonLogger : silentLogger;
/** Every log line the services wrote, so a test can follow a request id through them. */
const logLines: Array<Record<string, unknown> & { msg: string }> = [];
const logger: Logger = {
  info: (fields, msg) => { logLines.push({ ...fields, msg }); shown.info(fields, msg); },
  warn: (fields, msg) => { logLines.push({ ...fields, msg }); shown.warn(fields, msg); },
  error: (fields, msg) => { logLines.push({ ...fields, msg }); shown.error(fields, msg); },
};
const ids = new RandomIdGenerator();
const clock = new SystemClock();
const RETRIES = { maxAttempts: 3, retryDelaysMs: [50, 100] };
const RELAY = { intervalMs: 50, maxBackoffMs: 500 };
const admin: Actor = { userId: randomUUID(), role: 'admin' };
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

describe('@infra end to end: services, outboxes, RabbitMQ, notifier (DESIGN §1, §2)', function () {
  this.timeout(60_000);
  let broker: TestBroker;
  let userDb: TestDatabase;
  let eventDb: TestDatabase;
  let sessionDb: TestDatabase;
  let notifierDb: TestDatabase;
  let mailDir: string;
  let mailbox: FileMailbox;
  let notifier: Notifier;
  let user: ServiceMessaging;
  let event: ServiceMessaging;
  let session: ServiceMessaging;
  let testPublisher: AmqpPublisher;
  const connections: AmqpConnection[] = [];
  const messagings: ServiceMessaging[] = [];
  const queues = { enrollments: '', programme: '', speakers: '', audit: '', email: '' };

  const connect = async (name: string) => {
    const connection = new AmqpConnection({ url: broker.url, name, logger, reconnect: { initialDelayMs: 50, maxDelayMs: 500 }, shutdownTimeoutMs: 2_000 }).start();
    connections.push(connection);
    await connection.waitForConnection(5_000);
    return connection;
  };

  before(async function () {
    await requireRabbitMq(this);
    await requirePostgres(this);
    broker = createTestBroker('e2e');
    for (const key of Object.keys(queues) as Array<keyof typeof queues>) queues[key] = broker.queue(key, RETRIES.retryDelaysMs);
    [userDb, eventDb, sessionDb, notifierDb] = await Promise.all([
      userMigrationSets().then((sets) => createTestDatabase('e2e_user', sets)),
      eventMigrationSets().then((sets) => createTestDatabase('e2e_event', sets)),
      sessionMigrationSets().then((sets) => createTestDatabase('e2e_session', sets)),
      notifierMigrationSets().then((sets) => createTestDatabase('e2e_notifier', sets)),
    ]);
    mailDir = await mkdtemp(join(tmpdir(), 'e2e-mail-'));
    mailbox = new FileMailbox(mailDir);

    // Each service as it would run in its own process: its own connection, database and relay.
    const common = { exchange: broker.exchange, logger, ...RETRIES, relay: RELAY };
    user = createUserMessaging({ connection: await connect('user'), pool: userDb.pool, exchange: broker.exchange, logger, relay: RELAY });
    event = createEventMessaging({
      ...common, connection: await connect('event'), pool: eventDb.pool, uow: createPostgresEventUnitOfWork(eventDb.pool), clock, ids,
      queues: { enrollments: queues.enrollments, programme: queues.programme },
    });
    session = createSessionMessaging({
      ...common, connection: await connect('session'), pool: sessionDb.pool, uow: createPostgresSessionUnitOfWork(sessionDb.pool), clock, ids,
      queue: queues.speakers,
    });
    for (const messaging of [user, event, session]) {
      messagings.push(messaging);
      await messaging.start();
    }
    notifier = await startNotifier({
      databaseUrl: notifierDb.url,
      amqpUrl: broker.url,
      mail: { kind: 'file', directory: mailDir },
      waitForBrokerMs: 5_000,
      messaging: { exchange: broker.exchange, queues: { audit: queues.audit, email: queues.email }, ...RETRIES },
      logger,
    });
    testPublisher = new AmqpPublisher(await connect('test'), { exchange: broker.exchange, logger });
    await testPublisher.start();
  });

  after(async () => {
    await notifier?.stop();
    for (const messaging of messagings.reverse()) await messaging.stop(2_000);
    for (const connection of connections) await connection.close();
    await broker?.cleanup();
    await Promise.all([userDb, eventDb, sessionDb, notifierDb].map((db) => db?.close()));
    if (mailDir) await rm(mailDir, { recursive: true, force: true });
  });

  // ---------------------------------------------------------------- helpers

  /** A request to the user service as the HTTP host runs it: inside the request id's correlation. */
  const asRequest = <T>(requestId: string, work: () => Promise<T>): Promise<T> =>
    messageCorrelation.run({ correlationId: requestId, causationId: null }, work);

  const userFactory = new MessageFactory('user-service', ids, clock, messageCorrelation);
  const userUow = () => createPostgresUserUnitOfWork(userDb.pool);

  const register = async (name: string) => {
    const email = `${name.toLowerCase()}.${randomUUID().slice(0, 8)}@example.org`;
    const view = unwrap(await new RegisterUser(userUow(), new FakePasswordHasher(), ids, clock, userFactory).execute({ email, password: 'correct horse battery', name }));
    user.kick();
    return { id: view.id, email, name, actor: { userId: view.id, role: 'attendee' } as Actor };
  };

  const enroll = async (who: { actor: Actor }, eventId: string, requestId = `req-${randomUUID()}`) => {
    await asRequest(requestId, async () => unwrap(await new RequestEnrollment(userUow(), clock, userFactory).execute({ actor: who.actor, eventId })));
    user.kick();
    return requestId;
  };

  const publishedEvent = async (capacity: number) => {
    const created = anEvent({ id: randomUUID(), organizerId: randomUUID(), title: `Summit ${randomUUID().slice(0, 4)}`, capacity, seatsTaken: 0, status: 'published', startsAt: days(30), endsAt: days(31), version: 1 });
    await createPostgresEventUnitOfWork(eventDb.pool).run(({ events }) => events.insert(created));
    return created;
  };

  const mailTo = async (address: string) => (await mailbox.read()).filter((mail) => mail.to === address);
  const audit = async (filter: { correlationId?: string; type?: string }): Promise<readonly AuditEntryView[]> => {
    const page = await notifier.listAuditEntries.execute({ actor: admin, limit: 100, ...filter });
    if (!page.ok) throw page.error;
    return page.value.items;
  };
  const enrollmentOf = (eventId: string, userId: string) =>
    createPostgresEventUnitOfWork(eventDb.pool).run(({ enrollments }) => enrollments.find(eventId, userId));

  // ---------------------------------------------------------------- flows

  it('enrollment: user service → relay → event service records it → relay → notifier emails once and audits the chain under one correlation id', async () => {
    const started = Date.now();
    const ada = await register('Ada');
    const summit = await publishedEvent(10);
    const requestId = await enroll(ada, summit.id);

    const [mail] = await eventually(async () => {
      const mails = (await mailTo(ada.email)).filter((m) => m.subject.startsWith("You're enrolled"));
      return mails.length > 0 ? mails : null;
    }, 15_000, 'the confirmation email');
    const latencyMs = Date.now() - started;
    expect(mail!.subject).to.equal(`You're enrolled: ${summit.title}`);
    expect((await enrollmentOf(summit.id, ada.id))?.status).to.equal('enrolled');

    const chain = await eventually(async () => {
      const entries = await audit({ correlationId: requestId });
      return entries.length === 2 ? entries : null;
    }, 10_000, 'two audit entries of the chain');
    const [confirmed, enrolled] = chain; // newest first
    expect(enrolled).to.include({ type: 'user.enrolled', source: 'user-service', correlationId: requestId, causationId: null });
    expect(confirmed).to.include({ type: 'enrollment.confirmed', source: 'event-service', correlationId: requestId, causationId: enrolled!.messageId });
    expect(mail!.messageId).to.equal(confirmed!.messageId);
    // The welcome email of the registration went out too.
    expect((await mailTo(ada.email)).map((m) => m.subject)).to.include('Welcome to the Conference Platform');
    // The request id is in the consumers' logs of every hop: event service and both notifier queues.
    // A handler logs once it is done; the email's is done after its mark, which may wait for company (NOTIFIER_LINGER_MS).
    const handledLines = () => logLines.filter((line) => line.msg === 'message handled' && line.correlationId === requestId).map((line) => `${String(line.queue)} ${String(line.type)}`);
    const handled = await eventually(async () => (handledLines().length >= 4 ? handledLines() : null), 5_000, 'the four handled lines of the chain').catch(() => handledLines());
    expect(handled).to.include.members([
      `${queues.enrollments} user.enrolled`,
      `${queues.audit} user.enrolled`,
      `${queues.audit} enrollment.confirmed`,
      `${queues.email} enrollment.confirmed`,
    ]);
    console.log(`      (request → confirmation email in the mailbox: ${latencyMs} ms)`);
  });

  it('capacity 2: three enroll → 2 confirmed and 1 waitlisted email; one leaves → cancelled and promoted emails', async () => {
    const summit = await publishedEvent(2);
    const people = [await register('Ann'), await register('Ben'), await register('Cy')];
    await Promise.all(people.map((p) => enroll(p, summit.id)));

    const outcomes = await eventually(async () => {
      const subjects = await Promise.all(people.map(async (p) => (await mailTo(p.email)).map((m) => m.subject).filter((s) => !s.startsWith('Welcome'))));
      return subjects.every((s) => s.length === 1) ? subjects.map((s) => s[0]!) : null;
    }, 15_000, 'one outcome email each');
    expect(outcomes.filter((s) => s === `You're enrolled: ${summit.title}`)).to.have.length(2);
    expect(outcomes.filter((s) => s === `You're on the waitlist: ${summit.title}`)).to.have.length(1);
    const waitlisted = people[outcomes.findIndex((s) => s.startsWith("You're on the waitlist"))]!;
    expect((await mailTo(waitlisted.email)).find((m) => m.subject.includes('waitlist'))!.text).to.include('You are 1st on the waitlist.');
    const leaving = people.find((p) => p !== waitlisted)!;

    await asRequest(`req-${randomUUID()}`, async () => unwrap(await new CancelEnrollment(userUow(), clock, userFactory).execute({ actor: leaving.actor, eventId: summit.id })));
    user.kick();
    await eventually(async () => (await mailTo(leaving.email)).some((m) => m.subject === `Your enrollment in ${summit.title} is cancelled`), 15_000, 'the cancellation email');
    await eventually(async () => (await mailTo(waitlisted.email)).some((m) => m.subject === `A seat opened up: you're enrolled in ${summit.title}`), 15_000, 'the promotion email');
    expect((await enrollmentOf(summit.id, waitlisted.id))?.status).to.equal('enrolled');
    expect((await enrollmentOf(summit.id, leaving.id))?.status).to.equal('cancelled');
    const seats = await eventDb.pool.oneFirst(sql.unsafe`SELECT seats_taken FROM events WHERE id = ${summit.id}`);
    expect(seats).to.equal(2);
  });

  it('programme: session.created with an eventId adds it, session.updated updates the copy, session.deleted removes it', async () => {
    const summit = await publishedEvent(10);
    const sessionFactory = new MessageFactory('session-service', ids, clock);
    const sessionId = randomUUID();
    const data = (version: number, title: string) => ({
      sessionId, eventId: summit.id, title, startsAt: days(30).toISOString(), endsAt: new Date(days(30).getTime() + 3_600_000).toISOString(), room: 'Room 1', speakerIds: [], version,
    });
    const entries = () => createPostgresEventUnitOfWork(eventDb.pool).run(({ programme }) => programme.findBySession(sessionId));

    await testPublisher.publish(sessionFactory.create('session.created', sessionId, data(1, 'Types all the way down')).envelope);
    await eventually(async () => (await entries()).some((e) => e.eventId === summit.id && e.title === 'Types all the way down'), 10_000, 'the entry');
    await testPublisher.publish(sessionFactory.create('session.updated', sessionId, data(2, 'Types, revised')).envelope);
    await eventually(async () => (await entries())[0]?.title === 'Types, revised', 10_000, 'the updated copy');
    await testPublisher.publish(sessionFactory.create('session.deleted', sessionId, { sessionId, eventId: summit.id, version: 3 }).envelope);
    await eventually(async () => (await entries()).length === 0, 10_000, 'the entry gone');
  });

  it('speaker.deleted: the session service detaches the speaker, and its session.updated carries the same correlation', async () => {
    const speakerId = randomUUID();
    const other = randomUUID();
    const talk = unwrap(createSession({
      id: randomUUID(), ownerId: randomUUID(), now: new Date(), eventId: null, title: 'Talk', abstract: '', room: 'Room 9',
      startsAt: days(40), endsAt: new Date(days(40).getTime() + 3_600_000), speakerIds: [speakerId, other],
    }));
    await createPostgresSessionUnitOfWork(sessionDb.pool).run(({ sessions }) => sessions.insert(talk));
    const deleted = new MessageFactory('speaker-service', ids, clock).create('speaker.deleted', speakerId, { speakerId }).envelope;
    const withRequest: MessageEnvelope = { ...deleted, correlationId: `req-${randomUUID()}` };
    await testPublisher.publish(withRequest);

    await eventually(async () => {
      const found = await createPostgresSessionUnitOfWork(sessionDb.pool).run(({ sessions }) => sessions.findById(talk.id));
      return found?.speakerIds.length === 1 && found.speakerIds[0] === other;
    }, 10_000, 'the speaker detached');
    const chain = await eventually(async () => {
      const entries = await audit({ correlationId: withRequest.correlationId! });
      return entries.length === 2 ? entries : null;
    }, 10_000, 'speaker.deleted and session.updated in the audit log');
    expect(chain.map((e) => e.type)).to.deep.equal(['session.updated', 'speaker.deleted']);
    expect(chain[0]).to.include({ source: 'session-service', causationId: withRequest.id });
  });

  it('event.cancelled: every attendee gets an email', async () => {
    const summit = await publishedEvent(10);
    const attendees = ['dee', 'eve', 'fay'].map((n) => ({ userId: randomUUID(), email: `${n}.${randomUUID().slice(0, 8)}@example.org`, name: n }));
    await createPostgresEventUnitOfWork(eventDb.pool).run(async ({ enrollments }) => {
      for (const a of attendees) await enrollments.save(anEnrollment({ eventId: summit.id, ...a, status: 'enrolled' }));
    });
    const eventFactory = new MessageFactory('event-service', ids, clock, messageCorrelation);
    const organizer: Actor = { userId: summit.organizerId, role: 'organizer' };
    await asRequest(`req-${randomUUID()}`, async () => unwrap(await new CancelEvent(createPostgresEventUnitOfWork(eventDb.pool), eventFactory, clock).execute({ actor: organizer, eventId: summit.id })));
    event.kick();
    for (const a of attendees) {
      await eventually(async () => (await mailTo(a.email)).some((m) => m.subject === `Cancelled: ${summit.title}`), 10_000, `the email to ${a.name}`);
    }
  });

  it('the same message delivered three times: state changed once, one email, one audit row', async () => {
    const gil = await register('Gil');
    const summit = await publishedEvent(10);
    const envelope = userFactory.create('user.enrolled', gil.id, { userId: gil.id, eventId: summit.id, email: gil.email, name: gil.name, requestedAt: new Date().toISOString() }).envelope;
    await testPublisher.publish(envelope);
    await testPublisher.publish(envelope);
    await testPublisher.publish(envelope);

    await eventually(async () => (await mailTo(gil.email)).some((m) => m.subject.startsWith("You're enrolled")), 10_000, 'the email');
    // Give the second and third copies time to be handled (they queue behind the first), then count.
    await eventually(async () => {
      const rows = await eventDb.pool.oneFirst(sql.unsafe`SELECT count(*) FROM inbox WHERE message_id = ${envelope.id}`);
      return rows === 1;
    }, 5_000, 'the inbox record');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await eventDb.pool.oneFirst(sql.unsafe`SELECT seats_taken FROM events WHERE id = ${summit.id}`)).to.equal(1);
    expect((await mailTo(gil.email)).filter((m) => m.subject.startsWith("You're enrolled"))).to.have.length(1);
    expect((await audit({ type: 'user.enrolled' })).filter((e) => e.messageId === envelope.id)).to.have.length(1);
    expect(await notifierDb.pool.oneFirst(sql.unsafe`SELECT count(*) FROM audit_log WHERE message_id = ${envelope.id}`)).to.equal(1);
    expect(await audit({ type: 'enrollment.confirmed', correlationId: envelope.id })).to.have.length(1);
  });

  it('a malformed message and an always-failing handler end in the dead letters, later messages still pass, replay works', async () => {
    const admin = await broker.admin();
    const channel = await admin.createChannel();

    // 1. Malformed for the event service: the contract holds, the use case finds it unusable → dead letter at once.
    const hal = await register('Hal');
    const summit = await publishedEvent(10);
    const malformed = userFactory.create('user.enrolled', hal.id, { userId: hal.id, eventId: summit.id, email: hal.email, name: hal.name, requestedAt: 'not a date' }).envelope;
    await testPublisher.publish(malformed);
    channel.publish(broker.exchange, 'user.enrolled', Buffer.from('{not json'), { messageId: 'broken-json' });
    const later = await enroll(hal, summit.id);
    await eventually(async () => (await audit({ correlationId: later })).some((e) => e.type === 'enrollment.confirmed'), 15_000, 'the later enrollment');
    const letters = await eventually(async () => {
      const list = await listDeadLetters(admin, queues.enrollments);
      return list.length === 2 ? list : null;
    }, 10_000, 'two dead letters in event.enrollments');
    expect(letters.map((l) => l.reason).sort()).to.deep.equal(['ENROLLMENT.MALFORMED_MESSAGE', 'MESSAGE.MALFORMED_JSON']);
    expect(letters.find((l) => l.messageId === malformed.id)?.attempts).to.equal(1);

    // 2. A handler that always fails: a notifier whose mail server refuses one address, on queues of its own.
    let refusing = true;
    const files = new FileMailbox(join(mailDir, 'flaky'));
    const flakyMailer: Mailer = {
      send: async (mail: MailMessage) => {
        if (refusing && mail.to.startsWith('doomed')) throw new Error('550 mailbox unavailable');
        await files.send(mail);
      },
    };
    const flakyQueues = { audit: broker.queue('flaky-audit', RETRIES.retryDelaysMs), email: broker.queue('flaky-email', RETRIES.retryDelaysMs) };
    const flakyDb = await createTestDatabase('e2e_notifier_flaky', await notifierMigrationSets());
    const flaky = createNotifierMessaging({
      connection: await connect('flaky'), ...createPostgresNotificationStore(flakyDb.pool), mailer: flakyMailer, clock, logger,
      exchange: broker.exchange, queues: flakyQueues, ...RETRIES,
    });
    try {
      await flaky.start();
      const welcome = (email: string) => userFactory.create('user.registered', randomUUID(), { userId: randomUUID(), email, name: 'X' }).envelope;
      const doomed = welcome(`doomed.${randomUUID().slice(0, 8)}@example.org`);
      const fine = [1, 2, 3].map((n) => welcome(`fine${n}.${randomUUID().slice(0, 8)}@example.org`));
      await testPublisher.publish(doomed, ...fine);
      await eventually(async () => {
        const sent = (await files.read()).map((m) => m.emailId);
        return fine.every((m) => sent.includes(emailIdOf(m.id, m.data.email as string)));
      }, 10_000, 'the emails after the failing one');
      const [dead] = await eventually(async () => {
        const list = await listDeadLetters(admin, flakyQueues.email);
        return list.length === 1 ? list : null;
      }, 10_000, 'the failing message in the dead letters');
      expect(dead).to.include({ messageId: doomed.id, reason: 'HANDLER.FAILED', attempts: 3 });
      expect(dead!.error).to.include('550 mailbox unavailable');

      // 3. Replay after the fix: the email goes out, once.
      refusing = false;
      expect((await replayDeadLetters(admin, flakyQueues.email, { messageId: doomed.id })).map((l) => l.messageId)).to.deep.equal([doomed.id]);
      const doomedId = emailIdOf(doomed.id, doomed.data.email as string);
      await eventually(async () => (await files.read()).some((m) => m.emailId === doomedId), 10_000, 'the replayed email');
      expect(await listDeadLetters(admin, flakyQueues.email)).to.have.length(0);
      expect(await flakyDb.pool.oneFirst(sql.unsafe`SELECT status FROM sent_emails WHERE message_id = ${doomed.id}`)).to.equal('sent');
    } finally {
      await flaky.stop(2_000);
      await flakyDb.close();
      await channel.close().catch(() => undefined);
    }
  });
});
