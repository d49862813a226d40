import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sql } from 'slonik';
import { createDatabasePool } from '@conference/adapters-postgres';
import { StatementCounter, createTestDatabase, requirePostgres, type TestDatabase } from '@conference/adapters-postgres/testing';
import { UnprocessableMessageError, type DeliveryInfo } from '@conference/adapters-rabbitmq';
import { DomainError } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { auditEntryOf, emailKeyOf } from '@conference/notifications';
import { auditLogContract, sentEmailsContract } from '@conference/notifications/contracts';
import { InMemoryMailer, aMessage, anOutcome } from '@conference/notifications/testing';
import { notifierConsumers } from '../../messaging/notifier-messaging.js';
import { notifierMigrationSets } from './migrations.js';
import { createPostgresNotificationStore } from './notification-store.js';

describe('@infra notifier on PostgreSQL', function () {
  let db: TestDatabase;

  before(async function () {
    await requirePostgres(this);
    db = await createTestDatabase('notifier', await notifierMigrationSets());
  });
  after(async () => { await db?.close(); });

  // No truncate between cases: the audit log refuses it, and the suites keep to their own ids.
  // On the pool, as the notifier composes them: each call its own statement in autocommit.
  describe('contracts on the real server', () => {
    auditLogContract('PostgreSQL', async () => ({ audit: createPostgresNotificationStore(db.pool).audit }));
    sentEmailsContract('PostgreSQL', async () => ({ sentEmails: createPostgresNotificationStore(db.pool).sentEmails }));
  });

  describe('the email consumer with many deliveries in flight', () => {
    it('claims their emails in one statement and marks them in another, and sends each once', async () => {
      const counted = new StatementCounter();
      const mailer = new InMemoryMailer();
      const clock = new FixedClock('2027-01-10T09:00:00Z');
      const [, email] = notifierConsumers({ ...createPostgresNotificationStore(counted.wrap(db.pool)), mailer, clock });
      const messages = Array.from({ length: 20 }, (_, i) => aMessage('enrollment.confirmed', anOutcome({ email: `guest${i}@example.org` })));
      const delivery = (type: string): DeliveryInfo => ({ queue: email!.queue, attempt: 1, maxAttempts: 3, redelivered: false, routingKey: type, correlationId: randomUUID() });
      // The same message twice at once (the relay's at-least-once): one of the two sends, the other waits its turn.
      const outcomes = await Promise.allSettled([...messages, messages[0]!].map((m) => email!.handler(m, delivery(m.type))));
      expect(counted.statements).to.equal(2);
      expect(outcomes.slice(0, 20).map((o) => o.status)).to.deep.equal(Array(20).fill('fulfilled'));
      expect(outcomes[20]).to.have.property('status', 'rejected');
      expect((outcomes[20] as PromiseRejectedResult).reason).to.include({ code: 'NOTIFICATION.SEND_IN_PROGRESS' });
      expect(mailer.sent.map((m) => m.to).sort()).to.deep.equal(messages.map((m) => (m.data as { email: string }).email).sort());
      counted.reset();
      // Redelivered later: every email is found sent, in one statement.
      const again = await Promise.all(messages.map((m) => email!.handler(m, delivery(m.type))));
      expect(counted.statements).to.equal(1);
      expect(again.every((o) => (o as { emailsAlreadySent: number }).emailsAlreadySent === 1)).to.equal(true);
      expect(mailer.sent).to.have.length(20);
    });
  });

  describe('a database that cannot serve, with no unit of work to map it', () => {
    it('makes both consumers throw DATABASE.UNAVAILABLE (retried, not dead-lettered), and the retry then goes through', async () => {
      const impatient = await createDatabasePool(db.url, { statementTimeout: 100, maxPoolSize: 2 });
      try {
        const clock = new FixedClock('2027-01-10T09:00:00Z');
        const mailer = new InMemoryMailer();
        const [audit, email] = notifierConsumers({ ...createPostgresNotificationStore(impatient), mailer, clock });
        const message = aMessage('enrollment.confirmed', anOutcome());
        const delivery = (queue: string): DeliveryInfo => ({
          queue, attempt: 1, maxAttempts: 3, redelivered: false, routingKey: message.type, correlationId: message.id,
        });
        const outcome = (handling: Promise<unknown>) => handling.then((value) => ({ value }), (error: unknown) => ({ error }));
        // Another transaction holds, uncommitted, the rows both statements must wait for, past the
        // statement timeout. (The handlers run outside its callback: slonik refuses pool queries there.)
        let locked!: () => void;
        let finish!: () => void;
        const isLocked = new Promise<void>((resolve) => { locked = resolve; });
        const finished = new Promise<void>((resolve) => { finish = resolve; });
        const holding = db.pool.transaction(async (tx) => {
          const holder = createPostgresNotificationStore(tx);
          await holder.audit.append(auditEntryOf(message, clock.now()));
          await holder.sentEmails.claim(emailKeyOf(message.id, 'ada@example.org'), clock.now(), 60_000);
          locked();
          await finished;
          throw new Error('roll back');
        }).catch(() => undefined);
        await isLocked;
        const failures = [await outcome(audit!.handler(message, delivery(audit!.queue))), await outcome(email!.handler(message, delivery(email!.queue)))];
        finish();
        await holding;
        for (const failure of failures) {
          expect(failure).to.have.property('error');
          const error = (failure as { error: unknown }).error;
          expect(error).to.be.instanceOf(DomainError).and.not.be.instanceOf(UnprocessableMessageError);
          expect(error).to.include({ kind: 'unavailable', code: 'DATABASE.UNAVAILABLE' });
        }
        expect(mailer.sent).to.have.length(0);
        expect(await audit!.handler(message, delivery(audit!.queue))).to.deep.equal({ duplicate: false });
        expect(await email!.handler(message, delivery(email!.queue))).to.deep.equal({ emailsSent: 1, emailsAlreadySent: 0 });
        expect(mailer.sent.map((m) => m.to)).to.deep.equal(['ada@example.org']);
      } finally {
        await impatient.end();
      }
    });
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
      await createPostgresNotificationStore(db.pool).audit.append({
        messageId, type: 'user.registered', source: 'user-service', correlationId: 'req-1', causationId: null,
        occurredAt: new Date('2027-01-10T09:00:00Z'), data: { userId: 'u1' }, receivedAt: new Date('2027-01-10T09:00:01Z'),
      });
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
