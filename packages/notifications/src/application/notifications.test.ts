import { expect } from 'chai';
import sinon from 'sinon';
import { DomainError } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { emailKeyOf } from '../domain/email.js';
import { InMemoryMailer } from '../testing/in-memory-mailer.js';
import { InMemoryNotificationStore } from '../testing/in-memory-notification-store.js';
import { aMessage, anOutcome } from '../testing/messages.js';
import { ListAuditEntries } from './list-audit-entries.js';
import { RecordAudit } from './record-audit.js';
import { SendNotifications } from './send-notifications.js';

const admin = { userId: '0a5e0000-0000-4000-9000-000000000009', role: 'admin' as const };
const attendee = { userId: '0a5e0000-0000-4000-9000-000000000001', role: 'attendee' as const };

describe('notifications use cases', () => {
  let store: InMemoryNotificationStore;
  let mailer: InMemoryMailer;
  let clock: FixedClock;
  let send: SendNotifications;
  beforeEach(() => {
    store = new InMemoryNotificationStore();
    mailer = new InMemoryMailer();
    clock = new FixedClock('2027-01-10T09:00:00Z');
    send = new SendNotifications(store.sentEmails, mailer, clock, { leaseMs: 60_000 });
  });

  const cancelled = () => aMessage('event.cancelled', {
    eventId: 'e1',
    title: 'TypeScript Summit',
    startsAt: '2027-03-01T09:30:00.000Z',
    attendees: [
      { userId: 'u1', email: 'ada@example.org', name: 'Ada' },
      { userId: 'u2', email: 'bob@example.org', name: 'Bob' },
      { userId: 'u3', email: 'cy@example.org', name: 'Cy' },
    ],
  });

  describe('SendNotifications', () => {
    it('sends the email a message calls for, with the message id, and records it sent', async () => {
      const message = aMessage('enrollment.confirmed', anOutcome());
      const result = await send.execute(message);
      expect(result).to.deep.equal({ ok: true, value: { sent: ['ada@example.org'], alreadySent: [] } });
      expect(mailer.sent).to.have.length(1);
      expect(mailer.sent[0]).to.include({ to: 'ada@example.org', messageId: message.id, subject: "You're enrolled: TypeScript Summit" });
      expect(await store.sentEmails.status(emailKeyOf(message.id, 'ada@example.org'))).to.equal('sent');
    });

    it('the same message three times sends one email', async () => {
      const message = aMessage('enrollment.waitlisted', anOutcome({ status: 'waitlisted', position: 1 }));
      for (let i = 0; i < 3; i++) expect((await send.execute(message)).ok).to.equal(true);
      expect(mailer.sent).to.have.length(1);
      const third = await send.execute(message);
      expect(third).to.deep.equal({ ok: true, value: { sent: [], alreadySent: ['ada@example.org'] } });
    });

    it('three deliveries at once still send one email: the others are told to retry, and then find it sent', async () => {
      const message = aMessage('enrollment.confirmed', anOutcome());
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      const slow = { send: async (mail: Parameters<InMemoryMailer['send']>[0]) => { await gate; await mailer.send(mail); } };
      const concurrent = new SendNotifications(store.sentEmails, slow, clock);
      const first = concurrent.execute(message);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const others = await Promise.all([concurrent.execute(message), concurrent.execute(message)]);
      for (const other of others) expect(other.ok ? 'ok' : other.error.code).to.equal('NOTIFICATION.SEND_IN_PROGRESS');
      release();
      await first;
      expect((await concurrent.execute(message)).ok).to.equal(true);
      expect(mailer.sent).to.have.length(1);
    });

    it('a send that fails gives its claim back and throws; the retry sends the rest, never the ones sent', async () => {
      const message = cancelled();
      // ada goes out, bob fails: the message is retried.
      const failing = { calls: 0, async send(mail: Parameters<InMemoryMailer['send']>[0]) {
        this.calls += 1;
        if (this.calls === 2) throw new Error('SMTP 451');
        await mailer.send(mail);
      } };
      const flaky = new SendNotifications(store.sentEmails, failing, clock);
      let thrown: unknown;
      try { await flaky.execute(message); } catch (error) { thrown = error; }
      expect((thrown as Error).message).to.equal('SMTP 451');
      expect(mailer.sent.map((m) => m.to)).to.deep.equal(['ada@example.org']);
      const retry = await flaky.execute(message);
      expect(retry).to.deep.equal({ ok: true, value: { sent: ['bob@example.org', 'cy@example.org'], alreadySent: ['ada@example.org'] } });
      expect(mailer.sent.map((m) => m.to)).to.deep.equal(['ada@example.org', 'bob@example.org', 'cy@example.org']);
    });

    it('a crash between send and mark sends again once the claim has expired (at least once, never lost)', async () => {
      const message = aMessage('enrollment.promoted', anOutcome());
      const key = emailKeyOf(message.id, 'ada@example.org');
      // The state a crash leaves: claimed, the email accepted by the server, the mark never committed.
      await store.sentEmails.claim(key, clock.now(), 60_000);
      await mailer.send({ to: 'ada@example.org', subject: 's', text: 't', messageId: message.id });
      const early = await send.execute(message);
      expect(early.ok ? 'ok' : early.error.code).to.equal('NOTIFICATION.SEND_IN_PROGRESS');
      clock.advance(60_001);
      expect((await send.execute(message)).ok).to.equal(true);
      expect(mailer.sent).to.have.length(2);
      expect(new Set(mailer.sent.map((m) => m.messageId)).size).to.equal(1);
      expect((await send.execute(message)).ok).to.equal(true);
      expect(mailer.sent).to.have.length(2);
    });

    it('event.cancelled emails every attendee once; messages without email send nothing', async () => {
      await send.execute(cancelled());
      expect(mailer.sent.map((m) => m.to)).to.deep.equal(['ada@example.org', 'bob@example.org', 'cy@example.org']);
      await send.execute(aMessage('speaker.deleted', { speakerId: 's1' }));
      expect(mailer.sent).to.have.length(3);
    });
  });

  describe('RecordAudit', () => {
    it('appends every message once, with the envelope and the time it arrived', async () => {
      const audit = new RecordAudit(store.audit, clock);
      const message = aMessage('speaker.deleted', { speakerId: 's1' }, { correlationId: 'req-7', causationId: 'm0' });
      expect(await audit.execute(message)).to.deep.equal({ ok: true, value: { duplicate: false } });
      clock.advance(1_000);
      expect(await audit.execute(message)).to.deep.equal({ ok: true, value: { duplicate: true } });
      expect(store.state.audit).to.have.length(1);
      expect(store.state.audit[0]).to.deep.equal({
        position: 1,
        messageId: message.id,
        type: 'speaker.deleted',
        source: 'event-service',
        correlationId: 'req-7',
        causationId: 'm0',
        occurredAt: new Date('2027-01-10T09:00:00.000Z'),
        data: { speakerId: 's1' },
        receivedAt: new Date('2027-01-10T09:00:00.000Z'),
      });
    });

    it('two deliveries of a message at once append one entry; the other is the duplicate', async () => {
      const audit = new RecordAudit(store.audit, clock);
      const message = aMessage('user.registered', { userId: 'u1', email: 'ada@example.org', name: 'Ada' });
      const outcomes = await Promise.all([audit.execute(message), audit.execute(message)]);
      expect(outcomes.map((o) => o.ok && o.value.duplicate).sort()).to.deep.equal([false, true]);
      expect(store.state.audit).to.have.length(1);
    });

    it('appends a burst in one write, a duplicate within it or from before reported as such', async () => {
      const audit = new RecordAudit(store.audit, clock);
      const seen = aMessage('user.registered', { userId: 'u0', email: 'u0@example.org', name: 'U0' });
      await audit.execute(seen);
      const fresh = aMessage('user.registered', { userId: 'u1', email: 'u1@example.org', name: 'U1' });
      const appends = sinon.spy(store.audit, 'append');
      const outputs = await audit.executeAll([fresh, seen, fresh]);
      expect(outputs.value).to.deep.equal([{ duplicate: false }, { duplicate: true }, { duplicate: true }]);
      expect(appends.callCount).to.equal(1);
      expect(store.state.audit.map((r) => r.messageId)).to.deep.equal([seen.id, fresh.id]);
    });

    it('records a message whose occurredAt is not a date with a null time rather than refusing it', async () => {
      await new RecordAudit(store.audit, clock).execute(aMessage('speaker.deleted', { speakerId: 's1' }, { occurredAt: 'yesterday' }));
      expect(store.state.audit[0]!.occurredAt).to.equal(null);
    });
  });

  describe('ListAuditEntries', () => {
    const fill = async (n: number) => {
      const audit = new RecordAudit(store.audit, clock);
      for (let i = 0; i < n; i++) {
        await audit.execute(aMessage('user.registered', { userId: `u${i}`, email: `u${i}@example.org`, name: `U${i}` }, {
          correlationId: i % 2 === 0 ? 'even' : 'odd',
          occurredAt: new Date(Date.UTC(2027, 0, 10, 9, i)).toISOString(),
        }));
      }
    };

    it('is for admins only', async () => {
      const result = await new ListAuditEntries(store.audit).execute({ actor: attendee });
      expect(result.ok ? 'ok' : result.error.code).to.equal('AUDIT.FORBIDDEN');
      expect(result.ok ? null : result.error.kind).to.equal('forbidden');
    });

    it('pages newest first with a cursor, and filters', async () => {
      await fill(5);
      const list = new ListAuditEntries(store.audit);
      const first = await list.execute({ actor: admin, limit: 2 });
      if (!first.ok) throw first.error;
      expect(first.value.items.map((e) => e.position)).to.deep.equal([5, 4]);
      expect(first.value.items[0]).to.include({ type: 'user.registered', correlationId: 'even', occurredAt: '2027-01-10T09:04:00.000Z' });
      const second = await list.execute({ actor: admin, limit: 2, cursor: first.value.nextCursor });
      const third = await list.execute({ actor: admin, limit: 2, cursor: second.ok ? second.value.nextCursor : null });
      expect(second.ok && second.value.items.map((e) => e.position)).to.deep.equal([3, 2]);
      expect(third.ok && third.value).to.deep.include({ nextCursor: null });
      expect(third.ok && third.value.items.map((e) => e.position)).to.deep.equal([1]);
      const odd = await list.execute({ actor: admin, correlationId: 'odd' });
      expect(odd.ok && odd.value.items.map((e) => e.position)).to.deep.equal([4, 2]);
      const range = await list.execute({ actor: admin, from: new Date('2027-01-10T09:01:00Z'), to: new Date('2027-01-10T09:03:00Z') });
      expect(range.ok && range.value.items.map((e) => e.position)).to.deep.equal([3, 2]);
      const none = await list.execute({ actor: admin, type: 'event.cancelled' });
      expect(none.ok && none.value).to.deep.equal({ items: [], nextCursor: null });
    });

    it('refuses a cursor it did not issue and a range that ends before it starts', async () => {
      const list = new ListAuditEntries(store.audit);
      for (const cursor of ['nonsense', Buffer.from('["x"]').toString('base64url')]) {
        const result = await list.execute({ actor: admin, cursor });
        expect(result.ok ? 'ok' : result.error.code).to.equal('PAGINATION.INVALID_CURSOR');
      }
      const range = await list.execute({ actor: admin, from: new Date('2027-01-02T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
      expect(range.ok ? 'ok' : range.error).to.be.instanceOf(DomainError).and.include({ code: 'AUDIT.INVALID_RANGE' });
    });
  });
});
