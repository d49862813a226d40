import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from 'slonik';
import { createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { auditLogContract, sentEmailsContract } from '@conference/notifications/contracts';
import { notifierMigrationSets } from './migrations.js';
import { createPostgresNotificationUnitOfWork } from './unit-of-work.js';

describe('@infra notifier on PostgreSQL', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('notifier', await notifierMigrationSets());
  });
  after(async () => { await db?.close(); });

  // No truncate between cases: the audit log refuses it, and the suites keep to their own ids.
  const fixture = async () => ({ uow: createPostgresNotificationUnitOfWork(db.pool) });

  describe('contracts on the real server', () => {
    auditLogContract('PostgreSQL', fixture);
    sentEmailsContract('PostgreSQL', fixture);
  });

  describe('the audit log is append-only, also for the service role that owns it', () => {
    const failure = async (statement: ReturnType<typeof sql.unsafe>): Promise<string> => {
      try {
        await db.pool.query(statement);
      } catch (error) {
        return String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
      }
      throw new Error('expected the statement to fail');
    };

    it('refuses UPDATE, DELETE and TRUNCATE, and the entry stays as written', async () => {
      const messageId = randomUUID();
      await createPostgresNotificationUnitOfWork(db.pool).run(({ audit }) => audit.append({
        messageId, type: 'user.registered', source: 'user-service', correlationId: 'req-1', causationId: null,
        occurredAt: new Date('2027-01-10T09:00:00Z'), data: { userId: 'u1' }, receivedAt: new Date('2027-01-10T09:00:01Z'),
      }));
      expect(await failure(sql.unsafe`UPDATE audit_log SET type = 'forged' WHERE message_id = ${messageId}`)).to.match(/append-only: UPDATE/);
      expect(await failure(sql.unsafe`DELETE FROM audit_log WHERE message_id = ${messageId}`)).to.match(/append-only: DELETE/);
      expect(await failure(sql.unsafe`TRUNCATE audit_log`)).to.match(/append-only: TRUNCATE/);
      expect(await db.pool.oneFirst(sql.unsafe`SELECT type FROM audit_log WHERE message_id = ${messageId}`)).to.equal('user.registered');
    });

    it('is owned by the service role itself (so the trigger, not a grant, is what stops it)', async () => {
      const owner = await db.pool.oneFirst(sql.unsafe`SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'`);
      expect(owner).to.equal(await db.pool.oneFirst(sql.unsafe`SELECT current_user`));
    });
  });
});
