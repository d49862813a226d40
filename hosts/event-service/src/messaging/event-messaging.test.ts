import { expect } from 'chai';
import { FixedClock, SequentialIdGenerator } from '@conference/kernel/testing';
import { AsyncLocalCorrelation, UnprocessableMessageError, type DeliveryInfo } from '@conference/adapters-rabbitmq';
import { ENROLLMENT_CONSUMER, type EventScope } from '@conference/event';
import { InMemoryEventStore, anEvent, uuid } from '@conference/event/testing';
import type { KnownMessage } from '@conference/messages';
import type { UnitOfWork } from '@conference/kernel';
import { eventConsumers } from './event-messaging.js';

describe('eventConsumers: user.enrolled in batches', () => {
  const NOW = '2027-01-10T09:00:00.000Z';

  const enrolled = (n: number, overrides: { requestedAt?: string; correlationId?: string | null } = {}): KnownMessage => ({
    id: uuid(0x40000 + n),
    type: 'user.enrolled',
    version: 1,
    occurredAt: NOW,
    source: 'user-service',
    correlationId: overrides.correlationId === undefined ? `request-${n}` : overrides.correlationId,
    causationId: null,
    data: { userId: uuid(100 + n), eventId: uuid(1), email: `user${n}@example.org`, name: `User ${n}`, requestedAt: overrides.requestedAt ?? '2027-01-10T08:00:00.000Z' },
  });
  const delivery: DeliveryInfo = { queue: ENROLLMENT_CONSUMER, attempt: 1, maxAttempts: 5, redelivered: false, routingKey: 'user.enrolled', correlationId: '' };

  function setUp() {
    const store = new InMemoryEventStore();
    store.state.events.set(uuid(1), anEvent({ id: uuid(1), capacity: 2, seatsTaken: 0, startsAt: new Date('2027-02-01T09:00:00.000Z'), endsAt: new Date('2027-02-01T18:00:00.000Z') }));
    let runs = 0;
    const uow: UnitOfWork<EventScope> = {
      run: (work) => {
        runs += 1;
        return store.uow.run(work);
      },
    };
    const correlation = new AsyncLocalCorrelation();
    const clock = new FixedClock(NOW);
    const [enrollments] = eventConsumers({ uow, clock, ids: new SequentialIdGenerator(), correlation });
    // As the consumer does: each handler runs inside its own message's correlation.
    const handle = (message: KnownMessage) => correlation.run(AsyncLocalCorrelation.causedBy(message), () => enrollments!.handler(message, delivery));
    return { store, handle, runs: () => runs, spec: enrollments! };
  }

  it('handles the deliveries of one turn in one unit of work, each answered with its own outcome and correlation', async () => {
    const { store, handle, runs } = setUp();
    const results = await Promise.allSettled([handle(enrolled(1)), handle(enrolled(2, { correlationId: null })), handle(enrolled(3)), handle(enrolled(1))]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).to.deep.equal([
      { outcome: 'enrolled', eventId: uuid(1), userId: uuid(101) },
      { outcome: 'enrolled', eventId: uuid(1), userId: uuid(102) },
      { outcome: 'waitlisted', eventId: uuid(1), userId: uuid(103) },
      { duplicate: true },
    ]);
    expect(runs()).to.equal(1);
    expect(store.outbox().map((m) => [m.envelope.correlationId, m.envelope.causationId])).to.deep.equal([
      ['request-1', uuid(0x40001)],
      // A message without a correlation starts a chain with its own id.
      [uuid(0x40002), uuid(0x40002)],
      ['request-3', uuid(0x40003)],
    ]);
  });

  it('dead-letters a malformed message at once and lets the others of its batch through', async () => {
    const { store, handle } = setUp();
    const results = await Promise.allSettled([handle(enrolled(1)), handle(enrolled(2, { requestedAt: 'not a date' })), handle(enrolled(3))]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    const rejected = results[1] as PromiseRejectedResult;
    expect(rejected.reason).to.be.instanceOf(UnprocessableMessageError);
    expect(rejected.reason).to.include({ code: 'ENROLLMENT.MALFORMED_MESSAGE' });
    expect(store.state.events.get(uuid(1))?.seatsTaken).to.equal(2);
  });

  it('asks for bursts: the enrollments queue has a prefetch of its own', () => {
    expect(setUp().spec.prefetch).to.equal(100);
  });
});
