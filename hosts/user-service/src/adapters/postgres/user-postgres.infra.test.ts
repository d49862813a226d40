import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from 'slonik';
import type { OutgoingMessage } from '@conference/kernel';
import { inboxContract, outboxContract, type MessagingFixture } from '@conference/kernel/contracts';
import { pendingOutbox } from '@conference/adapters-postgres';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { type UserStoreFixture } from '@conference/user/testing';
import { loginSessionRepositoryContract, userRepositoryContract } from '@conference/user/contracts';
import type { User } from '@conference/user';
import { userMigrationSets } from './migrations.js';
import { createPostgresUserUnitOfWork } from './unit-of-work.js';

describe('@infra user service on PostgreSQL', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('user', await userMigrationSets());
  });
  after(async () => { await db?.close(); });

  // Fresh state per test: every table emptied, the schema kept.
  const storeFixture = async (): Promise<UserStoreFixture> => {
    await db.truncate();
    return { uow: createPostgresUserUnitOfWork(db.pool) };
  };
  const messagingFixture = async (): Promise<MessagingFixture> => {
    await db.truncate();
    return { uow: createPostgresUserUnitOfWork(db.pool), pending: () => pendingOutbox(db.pool) };
  };

  describe('contracts on the real server', () => {
    userRepositoryContract('PostgreSQL', storeFixture);
    loginSessionRepositoryContract('PostgreSQL', storeFixture);
    outboxContract('PostgreSQL user unit of work', messagingFixture);
    inboxContract('PostgreSQL user unit of work', messagingFixture);
  });

  describe('the unit of work', () => {
    const user = (): User => ({
      id: randomUUID(),
      email: `${randomUUID()}@example.org`,
      name: 'Outbox Person',
      passwordHash: 'hash',
      role: 'attendee',
      createdAt: new Date('2026-03-02T09:00:00.000Z'),
      updatedAt: new Date('2026-03-02T09:00:00.000Z'),
      version: 1,
    });
    const registered = (subject: User): OutgoingMessage => ({
      aggregateId: subject.id,
      envelope: {
        id: randomUUID(),
        type: 'user.registered',
        version: 1,
        occurredAt: '2026-03-02T09:00:00.000Z',
        source: 'user-service',
        correlationId: null,
        causationId: null,
        data: { userId: subject.id },
      },
    });

    beforeEach(async () => { await db.truncate(); });

    it('rolled back leaves neither the user nor its outbox row; committed leaves exactly one of each', async () => {
      const uow = createPostgresUserUnitOfWork(db.pool);
      const lost = user();
      let thrown: unknown;
      try {
        await uow.run(async ({ users, outbox }) => {
          await users.insert(lost);
          await outbox.add(registered(lost));
          throw new Error('boom');
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect(await pendingOutbox(db.pool)).to.deep.equal([]);
      expect(await uow.run(({ users }) => users.findById(lost.id))).to.equal(null);

      const kept = user();
      const message = registered(kept);
      await uow.run(async ({ users, outbox }) => {
        await users.insert(kept);
        await outbox.add(message);
      });
      expect(await pendingOutbox(db.pool)).to.deep.equal([message]);
      expect(await db.pool.oneFirst(sql.unsafe`SELECT count(*) FROM outbox`)).to.equal(1);
      expect(await uow.run(({ users }) => users.findById(kept.id))).to.deep.equal(kept);
    });

    it('a conflict (USER.EMAIL_TAKEN) thrown inside rolls back the outbox row written before it', async () => {
      const uow = createPostgresUserUnitOfWork(db.pool);
      const first = user();
      await uow.run(({ users }) => users.insert(first));
      const second = { ...user(), email: first.email.toUpperCase() };
      let thrown: unknown;
      try {
        await uow.run(async ({ users, outbox }) => {
          await outbox.add(registered(second));
          await users.insert(second);
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.include({ code: 'USER.EMAIL_TAKEN', kind: 'conflict' });
      expect(await pendingOutbox(db.pool)).to.deep.equal([]);
    });
  });
});
