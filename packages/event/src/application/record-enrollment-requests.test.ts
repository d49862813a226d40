import { expect } from 'chai';
import { MessageFactory, StaleVersionError, type Correlation, type CorrelationSource, type UnitOfWork } from '@conference/kernel';
import { FixedClock, SequentialIdGenerator, seededRandom } from '@conference/kernel/testing';
import type { Enrollment, EnrollmentStatus } from '../domain/enrollment.js';
import type { Event } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { anEnrollment, anEvent, uuid } from '../testing/contract-support.js';
import { InMemoryEventStore } from '../testing/in-memory-event-store.js';
import { ENROLLMENT_CONSUMER } from './consumers.js';
import { RecordEnrollmentRequest } from './record-enrollment-request.js';
import { RecordEnrollmentRequests, type RecordEnrollmentRequestsItem } from './record-enrollment-requests.js';

const NOW = '2027-01-10T09:00:00.000Z';
const minutes = (n: number): string => new Date(Date.parse(NOW) + n * 60_000).toISOString();

/** A unit of work that counts its runs, so a test can tell a batch went through in one. */
class CountingUnitOfWork implements UnitOfWork<EventScope> {
  runs = 0;
  constructor(private readonly inner: UnitOfWork<EventScope>) {}
  run<T>(work: (scope: EventScope) => Promise<T>): Promise<T> {
    this.runs += 1;
    return this.inner.run(work);
  }
}

interface World {
  readonly events: readonly Event[];
  readonly enrollments: readonly Enrollment[];
  readonly inbox: readonly string[];
}

/** Two stores with the same content, the same clock and the same message ids, one per path. */
function side(world: World) {
  const store = new InMemoryEventStore();
  for (const event of world.events) store.state.events.set(event.id, structuredClone(event));
  for (const e of world.enrollments) store.state.enrollments.set(`${e.eventId}/${e.userId}`, structuredClone(e));
  store.state.inbox.set(ENROLLMENT_CONSUMER, new Set(world.inbox));
  const clock = new FixedClock(NOW);
  let correlation: Correlation = { correlationId: null, causationId: null };
  const source: CorrelationSource = { current: () => correlation };
  const messages = new MessageFactory('event', new SequentialIdGenerator('00000000-0000-4000-b000-'), clock, source);
  const uow = new CountingUnitOfWork(store.uow);
  return {
    store,
    uow,
    one: new RecordEnrollmentRequest(uow, messages, clock),
    many: new RecordEnrollmentRequests(uow, messages, clock),
    /** The per-message path, with the correlation the consumer would have entered around it. */
    async oneByOne(items: readonly RecordEnrollmentRequestsItem[]) {
      const results = [];
      for (const item of items) {
        correlation = item.correlation;
        results.push(await this.one.execute(item));
      }
      return results;
    },
  };
}

const ordered = (store: InMemoryEventStore) => ({
  events: [...store.state.events.values()].sort((a, b) => a.id.localeCompare(b.id)),
  enrollments: [...store.state.enrollments.entries()].sort(([a], [b]) => a.localeCompare(b)),
  inbox: [...(store.state.inbox.get(ENROLLMENT_CONSUMER) ?? [])].sort(),
  outbox: store.outbox(),
});

const EVENT_IDS = [uuid(1), uuid(2), uuid(3), uuid(4)];
const USERS = Array.from({ length: 8 }, (_, n) => uuid(100 + n));

/** A random world: a few small events in every state, some already with seats taken and queues. */
function randomWorld(random: () => number): World {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const events: Event[] = [];
  const enrollments: Enrollment[] = [];
  for (const id of EVENT_IDS) {
    const status = pick(['published', 'published', 'published', 'published', 'draft', 'cancelled'] as const);
    const started = random() < 0.1;
    const capacity = 1 + Math.floor(random() * 4);
    let enrolled = 0;
    let order = 1 + Math.floor(random() * 3);
    for (const userId of USERS) {
      if (random() < 0.5) continue;
      const wanted = pick<EnrollmentStatus>(['enrolled', 'waitlisted', 'rejected', 'cancelled']);
      const statusOf: EnrollmentStatus = wanted === 'enrolled' && enrolled >= capacity ? 'waitlisted' : wanted;
      if (statusOf === 'enrolled') enrolled += 1;
      const waitlistOrder = statusOf === 'waitlisted' ? order : null;
      if (statusOf === 'waitlisted') order += 1 + Math.floor(random() * 2);
      enrollments.push(
        anEnrollment({
          eventId: id,
          userId,
          email: `${userId.slice(-3)}@example.org`,
          name: `User ${userId.slice(-3)}`,
          status: statusOf,
          waitlistOrder,
          reason: statusOf === 'rejected' ? 'ENROLLMENT.EVENT_NOT_PUBLISHED' : null,
          requestedAt: new Date(minutes(-60 + Math.floor(random() * 40))),
          createdAt: new Date(minutes(-100)),
          updatedAt: new Date(minutes(-90)),
        }),
      );
    }
    // Sometimes seats were freed by a capacity increase while people wait: the next placement serves the queue first.
    const freed = random() < 0.25 ? 1 + Math.floor(random() * 2) : 0;
    events.push(
      anEvent({
        id,
        status,
        capacity: capacity + freed,
        seatsTaken: enrolled,
        startsAt: new Date(started ? minutes(-30) : minutes(7 * 24 * 60)),
        endsAt: new Date(minutes(8 * 24 * 60)),
        title: `Event ${id.slice(-1)}`,
        version: 1 + Math.floor(random() * 5),
      }),
    );
  }
  return { events, enrollments, inbox: [uuid(0x50000)] };
}

/** A random sequence of deliveries over those events, with duplicates, stale requests, unknown events and malformed ones. */
function randomItems(random: () => number, count: number): RecordEnrollmentRequestsItem[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const items: RecordEnrollmentRequestsItem[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const messageId =
      roll < 0.1 && items.length > 0 ? pick(items).messageId : roll < 0.13 ? uuid(0x50000) : uuid(0x40000 + i);
    const eventId = random() < 0.1 ? pick([uuid(99), 'not-a-uuid', uuid(1).toUpperCase()]) : pick(EVENT_IDS);
    const userId = pick(USERS);
    const malformed = random() < 0.05;
    items.push({
      messageId,
      data: {
        userId: malformed && random() < 0.5 ? 'nobody' : userId,
        eventId,
        email: `${userId.slice(-3)}@example.org`,
        name: `User ${userId.slice(-3)} (${i})`,
        requestedAt: malformed ? 'yesterday' : minutes(-70 + Math.floor(random() * 80)),
      },
      correlation: { correlationId: `c-${Math.floor(random() * 5)}`, causationId: messageId },
    });
  }
  return items;
}

/** Random batch sizes over the sequence (1 to 15), as bursts of deliveries would cut it. */
function cut<T>(random: () => number, items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + Math.floor(random() * 15);
    batches.push(items.slice(i, i + size));
    i += size;
  }
  return batches;
}

describe('RecordEnrollmentRequests', () => {
  describe('equals RecordEnrollmentRequest item by item (200 random sequences)', () => {
    // What the sequences exercised, checked at the end: a generator that stopped producing a case would pass silently.
    const seen = new Map<string, number>();
    after(() => {
      for (const kind of ['enrolled', 'waitlisted', 'rejected', 'unchanged', 'out_of_order', 'duplicate', 'malformed', 'enrollment.promoted']) {
        expect(seen.get(kind) ?? 0, kind).to.be.greaterThan(20);
      }
    });
    for (let seed = 1; seed <= 200; seed++) {
      it(`seed ${seed}`, async () => {
        const random = seededRandom(seed);
        const world = randomWorld(random);
        const items = randomItems(random, 20 + Math.floor(random() * 40));
        const batches = cut(random, items);

        const single = side(world);
        const batched = side(world);
        const expected = await single.oneByOne(items);
        const outcomes = [];
        for (const batch of batches) outcomes.push(...(await batched.many.execute(batch)));

        expect(outcomes.map((o) => (o.ok ? o.value : o.error))).to.deep.equal(expected);
        expect(ordered(batched.store)).to.deep.equal(ordered(single.store));
        for (const result of expected) {
          const kind = !result.ok ? 'malformed' : result.value.duplicate ? 'duplicate' : result.value.outcome;
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
        }
        for (const m of single.store.outbox()) seen.set(m.envelope.type, (seen.get(m.envelope.type) ?? 0) + 1);
        // One unit of work per batch that had something well-formed: no fallback in these worlds.
        const withWork = batches.filter((batch) => batch.some((item) => item.data.requestedAt !== 'yesterday' && item.data.userId !== 'nobody'));
        expect(batched.uow.runs).to.equal(withWork.length);
      });
    }
  });

  const world = (events: Event[], enrollments: Enrollment[] = []): World => ({ events, enrollments, inbox: [] });
  const request = (n: number, eventId: string, extra: Partial<RecordEnrollmentRequestsItem> = {}): RecordEnrollmentRequestsItem => ({
    messageId: uuid(0x40000 + n),
    data: { userId: uuid(100 + n), eventId, email: `user${n}@example.org`, name: `User ${n}`, requestedAt: minutes(-1) },
    correlation: { correlationId: `request-${n}`, causationId: uuid(0x40000 + n) },
    ...extra,
  });
  const open = (overrides: Partial<Event> = {}) =>
    anEvent({ id: uuid(1), seatsTaken: 0, capacity: 2, startsAt: new Date(minutes(10_000)), endsAt: new Date(minutes(11_000)), ...overrides });

  it('stamps each outgoing message with the correlation of its own incoming message', async () => {
    const { many, store } = side(world([open()]));
    await many.execute([request(1, uuid(1)), request(2, uuid(1)), request(3, uuid(1))]);
    expect(store.outbox().map((m) => [m.envelope.type, m.envelope.correlationId, m.envelope.causationId])).to.deep.equal([
      ['enrollment.confirmed', 'request-1', uuid(0x40001)],
      ['enrollment.confirmed', 'request-2', uuid(0x40002)],
      ['enrollment.waitlisted', 'request-3', uuid(0x40003)],
    ]);
  });

  it('fails a malformed item alone, before the inbox, and handles the rest', async () => {
    const { many, store } = side(world([open()]));
    const bad = request(2, uuid(1));
    const outcomes = await many.execute([request(1, uuid(1)), { ...bad, data: { ...bad.data, requestedAt: 'soon' } }, request(3, uuid(1))]);
    expect(outcomes.map((o) => o.ok && (o.value.ok ? o.value.value : o.value.error.code))).to.deep.equal([
      { duplicate: false, outcome: 'enrolled', enrollment: outcomes[0]!.ok && outcomes[0]!.value.ok && outcomes[0]!.value.value.duplicate === false ? outcomes[0]!.value.value.enrollment : null },
      'ENROLLMENT.MALFORMED_MESSAGE',
      { duplicate: false, outcome: 'enrolled', enrollment: outcomes[2]!.ok && outcomes[2]!.value.ok && outcomes[2]!.value.value.duplicate === false ? outcomes[2]!.value.value.enrollment : null },
    ]);
    expect(store.state.inbox.get(ENROLLMENT_CONSUMER)?.has(bad.messageId)).to.equal(false);
    expect(store.state.events.get(uuid(1))?.seatsTaken).to.equal(2);
  });

  it('takes nothing from a batch whose seat update finds a stale version: it throws, and nothing stays', async () => {
    const { store } = side(world([open()]));
    // A unit of work whose locked read hands out an older version than the stored one.
    const stale: UnitOfWork<EventScope> = {
      run: (work) =>
        store.uow.run((scope) =>
          work({
            ...scope,
            events: Object.assign(Object.create(scope.events) as typeof scope.events, {
              findManyForUpdate: async (ids: readonly string[]) => (await scope.events.findManyForUpdate(ids)).map((e) => ({ ...e, version: e.version - 1 })),
            }),
          }),
        ),
    };
    const many = new RecordEnrollmentRequests(stale, new MessageFactory('event', new SequentialIdGenerator(), new FixedClock(NOW)), new FixedClock(NOW));
    let thrown: unknown;
    try {
      await many.execute([request(1, uuid(1)), request(2, uuid(1))]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(StaleVersionError);
    expect(store.state.events.get(uuid(1))?.seatsTaken).to.equal(0);
    expect(store.state.enrollments.size).to.equal(0);
    expect(store.outbox()).to.deep.equal([]);
    expect(store.state.inbox.get(ENROLLMENT_CONSUMER)?.size ?? 0).to.equal(0);
  });

  it('falls back to one message at a time when a queue is longer than the heads it read, with the same result', async () => {
    // 150 waiting and 300 seats free (a capacity increase): serving the queue needs more heads than one read brings.
    const waiting = Array.from({ length: 150 }, (_, i) =>
      anEnrollment({ eventId: uuid(1), userId: uuid(1000 + i), status: 'waitlisted', waitlistOrder: i + 1, requestedAt: new Date(minutes(-50)) }),
    );
    const start = world([open({ capacity: 300 })], waiting);
    const single = side(start);
    const batched = side(start);
    const items = [request(1, uuid(1)), request(2, uuid(1))];
    const expected = await single.oneByOne(items);
    const outcomes = await batched.many.execute(items);
    expect(outcomes.map((o) => (o.ok ? o.value : o.error))).to.deep.equal(expected);
    // The same but for the outgoing messages' own ids: the rolled-back attempt drew ids of its own.
    const withoutIds = (store: InMemoryEventStore) => ({ ...ordered(store), outbox: store.outbox().map((m) => ({ ...m, envelope: { ...m.envelope, id: '' } })) });
    expect(withoutIds(batched.store)).to.deep.equal(withoutIds(single.store));
    expect(batched.store.state.events.get(uuid(1))?.seatsTaken).to.equal(152);
    // The batch that rolled back, then one unit of work per item.
    expect(batched.uow.runs).to.equal(3);
  });

  it('serves several waiting users from one read when seats were freed, then queues the rest in order', async () => {
    const waiting = [3, 5, 9].map((order, i) =>
      anEnrollment({ eventId: uuid(1), userId: uuid(1000 + i), status: 'waitlisted', waitlistOrder: order, requestedAt: new Date(minutes(-50)) }),
    );
    const start = world([open({ capacity: 3, seatsTaken: 0 })], waiting);
    const single = side(start);
    const batched = side(start);
    const items = [request(1, uuid(1)), request(2, uuid(1)), request(1000 - 100 + 2, uuid(1))];
    const expected = await single.oneByOne(items);
    const outcomes = await batched.many.execute(items);
    expect(outcomes.map((o) => (o.ok ? o.value : o.error))).to.deep.equal(expected);
    expect(ordered(batched.store)).to.deep.equal(ordered(single.store));
    expect(batched.uow.runs).to.equal(1);
    expect(batched.store.outbox().map((m) => m.envelope.type)).to.deep.equal([
      'enrollment.promoted',
      'enrollment.promoted',
      'enrollment.promoted',
      'enrollment.waitlisted',
      'enrollment.waitlisted',
    ]);
  });

  it('reuses a waitlist order freed in the same batch, as one by one would (the queue emptied, then refilled)', async () => {
    const waiting = [anEnrollment({ eventId: uuid(1), userId: uuid(1000), status: 'waitlisted', waitlistOrder: 1, requestedAt: new Date(minutes(-50)) })];
    const start = world([open({ capacity: 2, seatsTaken: 1 })], [anEnrollment({ eventId: uuid(1), userId: uuid(999), requestedAt: new Date(minutes(-50)) }), ...waiting]);
    const single = side(start);
    const batched = side(start);
    const items = [request(1, uuid(1)), request(2, uuid(1))];
    const expected = await single.oneByOne(items);
    expect(await batched.many.execute(items)).to.deep.equal(expected.map((value) => ({ ok: true, value })));
    expect(ordered(batched.store)).to.deep.equal(ordered(single.store));
    expect(batched.store.state.enrollments.get(`${uuid(1)}/${uuid(101)}`)).to.include({ status: 'waitlisted', waitlistOrder: 1 });
  });
});
