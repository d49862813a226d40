import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { emailIdOf } from '../domain/email.js';
import type { Mailer } from '../ports/mailer.js';

/** An email as a mailbox shows it, with the name the adapter gave it (emailIdOf). */
export interface DeliveredEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly emailId: string;
}

export interface MailerFixture {
  readonly mailer: Mailer;
  /** What reached the mailbox so far, in any order; a resend the mailbox collapses counts once. */
  delivered(): Promise<DeliveredEmail[]>;
  close?(): Promise<void>;
}

export function mailerContract(name: string, makeFixture: () => Promise<MailerFixture>): void {
  describe(`Mailer contract: ${name}`, () => {
    let fixture: MailerFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    it('delivers recipient, subject and text as given, named by message id and recipient', async () => {
      const messageId = randomUUID();
      const text = 'Hello Ada,\n\nyour seat at TypeScript Summit is confirmed.\n\n-- \nThe team';
      await fixture.mailer.send({ to: 'ada@example.org', subject: "You're enrolled: TypeScript Summit", text, messageId });
      const delivered = await fixture.delivered();
      expect(delivered).to.have.length(1);
      expect(delivered[0]).to.deep.equal({ to: 'ada@example.org', subject: "You're enrolled: TypeScript Summit", text, emailId: emailIdOf(messageId, 'ada@example.org') });
    });

    it('names the emails of one message to two people differently, and a resend the same', async () => {
      const messageId = randomUUID();
      await fixture.mailer.send({ to: 'ada@example.org', subject: 'Cancelled', text: 'Sorry.', messageId });
      await fixture.mailer.send({ to: 'bob@example.org', subject: 'Cancelled', text: 'Sorry.', messageId });
      await fixture.mailer.send({ to: 'ada@example.org', subject: 'Cancelled', text: 'Sorry.', messageId });
      const ids = new Set((await fixture.delivered()).map((d) => d.emailId));
      expect([...ids].sort()).to.deep.equal([emailIdOf(messageId, 'ada@example.org'), emailIdOf(messageId, 'bob@example.org')].sort());
    });
  });
}
