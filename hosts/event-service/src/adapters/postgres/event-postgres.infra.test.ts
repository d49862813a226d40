import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from 'slonik';
import type { OutgoingMessage } from '@conference/kernel';
import { inboxContract, outboxContract, type MessagingFixture } from '@conference/kernel/contracts';
import { pendingOutbox } from '@conference/adapters-postgres';
import { StatementCounter, createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { anEvent, uuid, type EventStoreFixture } from '@conference/event/testing';
import { enrollmentRepositoryContract, eventCatalogContract, eventRepositoryContract, programmeRepositoryContract } from '@conference/event/contracts';
import { eventMigrationSets } from './migrations.js';
import { PostgresEventCatalog } from './postgres-event-catalog.js';
import { createPostgresEventUnitOfWork } from './unit-of-work.js';

describe('@infra event service on PostgreSQL', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('event', await eventMigrationSets());
  });
  after(async () => {
    await db?.close();
  });

  // Fresh state per test: every table emptied, the schema kept.
  const storeFixture = async (): Promise<EventStoreFixture> => {
    await db.truncate();
    return { uow: createPostgresEventUnitOfWork(db.pool) };
  };

  /**
   * The enrollment and programme suites save rows for events uuid(1) .. uuid(3) without inserting
   * those events (the in-memory store has no foreign keys). Here every enrollment and programme entry
   * belongs to an event of the same database, as the use cases guarantee (they save one only after
   * finding its event), so the fixture creates the events the suites refer to.
   */
  const storeWithEventsFixture = async (): Promise<EventStoreFixture> => {
    const fixture = await storeFixture();
    await fixture.uow.run(async ({ events }) => {
      for (const n of [1, 2, 3, 4, 5]) await events.insert(anEvent({ id: uuid(n) }));
    });
    return fixture;
  };

  const messagingFixture = async (): Promise<MessagingFixture> => {
    await db.truncate();
    return { uow: createPostgresEventUnitOfWork(db.pool), pending: () => pendingOutbox(db.pool) };
  };

  describe('contracts on the real server', () => {
    eventRepositoryContract('PostgreSQL', storeFixture);
    enrollmentRepositoryContract('PostgreSQL', storeWithEventsFixture);
    programmeRepositoryContract('PostgreSQL', storeWithEventsFixture);
    // Written through a unit of work, read on the pool outside any transaction: it must see what committed.
    eventCatalogContract('PostgreSQL', async () => ({ ...(await storeFixture()), catalog: new PostgresEventCatalog(db.pool) }));
    outboxContract('PostgreSQL event unit of work', messagingFixture);
    inboxContract('PostgreSQL event unit of work', messagingFixture);
  });

  describe('the catalog under concurrent reads', () => {
    it('reads the events asked for in one turn in one statement, and a lone find in one of its own', async () => {
      const { uow } = await storeFixture();
      await uow.run(async ({ events }) => {
        for (const n of [1, 2, 3]) await events.insert(anEvent({ id: uuid(n), title: `Event ${n}` }));
      });
      const counted = new StatementCounter();
      const catalog = new PostgresEventCatalog(counted.wrap(db.pool));
      const found = await Promise.all(Array.from({ length: 30 }, (_, i) => catalog.find(uuid((i % 4) + 1))));
      expect(counted.statements).to.equal(1);
      expect(found.map((entry) => entry?.event.title ?? null)).to.deep.equal(Array.from({ length: 30 }, (_, i) => (i % 4 === 3 ? null : `Event ${(i % 4) + 1}`)));
      counted.reset();
      expect((await catalog.find(uuid(2)))?.event.title).to.equal('Event 2');
      expect(counted.statements).to.equal(1);
    });
  });

  describe('the unit of work', () => {
    beforeEach(async () => {
      await db.truncate();
    });

    const published = (eventId: string): OutgoingMessage => ({
      aggregateId: eventId,
      envelope: {
        id: randomUUID(),
        type: 'event.published',
        version: 1,
        occurredAt: '2027-01-10T09:00:00.000Z',
        source: 'event',
        correlationId: null,
        causationId: null,
        data: { eventId },
      },
    });
    const outboxRows = () => db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM outbox`);
    const eventRows = () => db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM events`);

    it('rolled back leaves neither the event nor its outbox row; committed leaves exactly one of each', async () => {
      const uow = createPostgresEventUnitOfWork(db.pool);
      let thrown: unknown;
      try {
        await uow.run(async ({ events, outbox }) => {
          await events.insert(anEvent({ id: uuid(1) }));
          await outbox.add(published(uuid(1)));
          throw new Error('boom');
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect(await outboxRows()).to.equal(0);
      expect(await eventRows()).to.equal(0);

      const message = published(uuid(2));
      await uow.run(async ({ events, outbox }) => {
        await events.insert(anEvent({ id: uuid(2) }));
        await outbox.add(message);
      });
      expect(await outboxRows()).to.equal(1);
      expect(await eventRows()).to.equal(1);
      expect(await pendingOutbox(db.pool)).to.deep.equal([message]);
    });

    it('forgets the inbox record with the rest of a rolled-back unit of work', async () => {
      const uow = createPostgresEventUnitOfWork(db.pool);
      const messageId = randomUUID();
      try {
        await uow.run(async ({ inbox, events }) => {
          await inbox.record('event.enrollments', messageId);
          await events.insert(anEvent());
          throw new Error('handler failed');
        });
      } catch {
        // expected
      }
      expect(await uow.run(({ inbox }) => inbox.record('event.enrollments', messageId))).to.equal(true);
      expect(await eventRows()).to.equal(0);
    });
  });
});
