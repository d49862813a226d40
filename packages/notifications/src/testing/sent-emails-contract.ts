import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { emailKeyOf, type EmailKey } from '../domain/email.js';
import type { SentEmails } from '../ports/sent-emails.js';

/**
 * What an adapter under test gives the SentEmails suite: the port as SendNotifications uses it, each
 * call on its own (in PostgreSQL on the pool, not a transaction connection). Cases use fresh
 * message ids, so the store need not be empty.
 */
export interface SentEmailsFixture {
  readonly sentEmails: SentEmails;
  close?(): Promise<void>;
}

const LEASE = 60_000;
const t0 = new Date('2027-01-10T09:00:00.000Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);

export function sentEmailsContract(name: string, makeFixture: () => Promise<SentEmailsFixture>): void {
  describe(`SentEmails contract: ${name}`, () => {
    let fixture: SentEmailsFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const key = (recipient = 'ada@example.org'): EmailKey => emailKeyOf(randomUUID(), recipient);
    const claim = (k: EmailKey, now = t0, lease = LEASE) => fixture.sentEmails.claim(k, now, lease);
    const markSent = (k: EmailKey, now = t0) => fixture.sentEmails.markSent(k, now);
    const release = (k: EmailKey) => fixture.sentEmails.release(k);
    const status = (k: EmailKey) => fixture.sentEmails.status(k);

    it('claims an email once: a second claim within the lease finds it in progress', async () => {
      const k = key();
      expect(await status(k)).to.equal(null);
      expect(await claim(k)).to.equal('claimed');
      expect(await status(k)).to.equal('pending');
      expect(await claim(k, later(LEASE - 1))).to.equal('in_progress');
    });

    it('once marked sent, every later claim says sent, however late', async () => {
      const k = key();
      await claim(k);
      await markSent(k, later(10));
      expect(await status(k)).to.equal('sent');
      expect(await claim(k, later(20))).to.equal('sent');
      expect(await claim(k, later(10 * LEASE))).to.equal('sent');
      await release(k);
      expect(await status(k)).to.equal('sent');
    });

    it('takes over a claim older than the lease (its sender is gone), and one given back at once', async () => {
      const expired = key();
      await claim(expired);
      expect(await claim(expired, later(LEASE + 1))).to.equal('claimed');
      const released = key();
      await claim(released);
      await release(released);
      expect(await claim(released, later(1))).to.equal('claimed');
    });

    it('keeps emails apart: each recipient of a message, and each message to a recipient', async () => {
      const message = randomUUID();
      const ada = emailKeyOf(message, 'ada@example.org');
      const bob = emailKeyOf(message, 'bob@example.org');
      const adaOther = key('ada@example.org');
      await claim(ada);
      await markSent(ada);
      expect(await claim(bob)).to.equal('claimed');
      expect(await claim(adaOther)).to.equal('claimed');
    });

    it('gives exactly one of many simultaneous claims the email', async () => {
      const k = key();
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => claim(k)));
      expect(outcomes.filter((o) => o === 'claimed')).to.have.length(1);
      expect(outcomes.filter((o) => o === 'in_progress')).to.have.length(7);
    });

    // Adapters may group the calls of one moment into one statement: each caller still gets its own email's answer.
    it('answers each of many emails claimed at the same moment for itself: new, sent, in progress, expired, given back', async () => {
      const sent = key();
      await claim(sent);
      await markSent(sent);
      const busy = key();
      await claim(busy, later(LEASE));
      const expired = key();
      await claim(expired);
      const givenBack = key();
      await claim(givenBack);
      await release(givenBack);
      const fresh = Array.from({ length: 5 }, (_, i) => key(`guest${i}@example.org`));
      const asked = [sent, fresh[0]!, busy, expired, fresh[1]!, givenBack, ...fresh.slice(2)];
      const outcomes = await Promise.all(asked.map((k) => claim(k, later(LEASE + 1))));
      expect(outcomes).to.deep.equal(['sent', 'claimed', 'in_progress', 'claimed', 'claimed', 'claimed', 'claimed', 'claimed', 'claimed']);
      for (const k of [...fresh, expired, givenBack]) expect(await status(k)).to.equal('pending');
    });

    it('marks many emails sent at the same moment, each once, and a mark repeated at that moment changes nothing', async () => {
      const keys = Array.from({ length: 6 }, (_, i) => key(`guest${i}@example.org`));
      for (const k of keys) await claim(k);
      await Promise.all([...keys.map((k) => markSent(k, later(5))), markSent(keys[0]!, later(6))]);
      for (const k of keys) {
        expect(await status(k)).to.equal('sent');
        expect(await claim(k, later(10 * LEASE))).to.equal('sent');
      }
    });
  });
}
