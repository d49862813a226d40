import { expect } from 'chai';
import { aMessage, anOutcome } from '../testing/messages.js';
import { emailIdOf, isDeliverableAddress } from './email.js';
import { formatWhen, notificationsFor } from './notification-rules.js';
import { KNOWN_REJECTION_REASONS, rejectionSentence } from './rejection-reasons.js';

describe('notification rules: which message emails whom, saying what', () => {
  const only = (message: Parameters<typeof notificationsFor>[0]) => {
    const emails = notificationsFor(message);
    expect(emails).to.have.length(1);
    return emails[0]!;
  };

  it('enrollment.confirmed: the attendee, seat confirmed', () => {
    const email = only(aMessage('enrollment.confirmed', anOutcome()));
    expect(email.to).to.equal('ada@example.org');
    expect(email.subject).to.equal("You're enrolled: TypeScript Summit");
    expect(email.text).to.match(/^Hello Ada Lovelace,\n\nyour seat at TypeScript Summit is confirmed\./);
    expect(email.text).to.include('The Conference Platform team');
  });

  it('enrollment.waitlisted: the attendee, with the position on the waitlist', () => {
    const email = only(aMessage('enrollment.waitlisted', anOutcome({ status: 'waitlisted', position: 3 })));
    expect(email.subject).to.equal("You're on the waitlist: TypeScript Summit");
    expect(email.text).to.include('You are 3rd on the waitlist.');
    expect(only(aMessage('enrollment.waitlisted', anOutcome({ status: 'waitlisted', position: 11 }))).text).to.include('11th');
    expect(only(aMessage('enrollment.waitlisted', anOutcome({ status: 'waitlisted', position: 22 }))).text).to.include('22nd');
    expect(only(aMessage('enrollment.waitlisted', anOutcome({ status: 'waitlisted', position: null }))).text).to.include('You are on the waitlist.');
  });

  it('enrollment.promoted: the attendee, a seat opened up', () => {
    const email = only(aMessage('enrollment.promoted', anOutcome()));
    expect(email.subject).to.equal("A seat opened up: you're enrolled in TypeScript Summit");
    expect(email.text).to.include('it is yours');
  });

  it('enrollment.rejected: the attendee, with the reason code as a sentence', () => {
    const email = only(aMessage('enrollment.rejected', anOutcome({ status: 'rejected', reason: 'ENROLLMENT.EVENT_CANCELLED' })));
    expect(email.subject).to.equal('Your enrollment in TypeScript Summit was not accepted');
    expect(email.text).to.include('The event has been cancelled, so it no longer takes enrollments.');
    expect(email.text).not.to.include('ENROLLMENT.');
  });

  it('enrollment.rejected for an unknown event (no title): a subject and text without an empty name', () => {
    const email = only(aMessage('enrollment.rejected', anOutcome({ status: 'rejected', eventTitle: '', reason: 'ENROLLMENT.EVENT_NOT_FOUND' })));
    expect(email.subject).to.equal('Your enrollment request was not accepted');
    expect(email.text).to.include('we could not enroll you in the event. We could not find the event you asked to join.');
  });

  it('phrases every known reason code, and an unknown one still gets a sentence', () => {
    for (const code of ['ENROLLMENT.EVENT_NOT_FOUND', 'ENROLLMENT.EVENT_NOT_PUBLISHED', 'ENROLLMENT.EVENT_CANCELLED', 'ENROLLMENT.EVENT_STARTED']) {
      expect(KNOWN_REJECTION_REASONS).to.include(code);
      expect(rejectionSentence(code)).to.match(/^[A-Z].*\.$/).and.not.include('ENROLLMENT');
    }
    expect(rejectionSentence('ENROLLMENT.SOMETHING_NEW')).to.equal('The event could not accept your enrollment.');
    expect(rejectionSentence(null)).to.equal('The event could not accept your enrollment.');
  });

  it('enrollment.cancelled: the attendee, confirming they left', () => {
    const email = only(aMessage('enrollment.cancelled', anOutcome({ status: 'cancelled' })));
    expect(email.subject).to.equal('Your enrollment in TypeScript Summit is cancelled');
    expect(email.text).to.include('you are no longer enrolled in TypeScript Summit');
  });

  it('event.cancelled: every attendee in the payload, once per address, each by name', () => {
    const emails = notificationsFor(aMessage('event.cancelled', {
      eventId: '6f1c0000-0000-4000-8000-000000000001',
      title: 'TypeScript Summit',
      startsAt: '2027-03-01T09:30:00.000Z',
      attendees: [
        { userId: 'u1', email: 'ada@example.org', name: 'Ada' },
        { userId: 'u2', email: 'bob@example.org', name: 'Bob' },
        { userId: 'u3', email: 'ADA@example.org', name: 'Ada again' },
      ],
    }));
    expect(emails.map((e) => e.to)).to.deep.equal(['ada@example.org', 'bob@example.org']);
    expect(emails[1]!.subject).to.equal('Cancelled: TypeScript Summit');
    expect(emails[1]!.text).to.match(/^Hello Bob,\n\nwe are sorry to tell you that TypeScript Summit, planned for 2027-03-01 09:30 UTC, has been cancelled/);
  });

  it('event.cancelled with nobody enrolled sends nothing', () => {
    expect(notificationsFor(aMessage('event.cancelled', { eventId: 'e', title: 'T', startsAt: '2027-03-01T09:30:00.000Z', attendees: [] }))).to.deep.equal([]);
  });

  it('user.registered: a welcome to the new account', () => {
    const email = only(aMessage('user.registered', { userId: 'u1', email: 'grace@example.org', name: 'Grace Hopper' }));
    expect(email).to.deep.include({ to: 'grace@example.org', subject: 'Welcome to the Conference Platform' });
    expect(email.text).to.match(/^Hello Grace Hopper,\n\nwelcome!/);
  });

  it('sends nothing for messages that are only audited', () => {
    expect(notificationsFor(aMessage('user.enrolled', { userId: 'u', eventId: 'e', email: 'a@b.org', name: 'A', requestedAt: '2027-01-01T00:00:00Z' }))).to.deep.equal([]);
    expect(notificationsFor(aMessage('speaker.deleted', { speakerId: 's' }))).to.deep.equal([]);
    expect(notificationsFor(aMessage('session.deleted', { sessionId: 's', eventId: null, version: 2 }))).to.deep.equal([]);
  });

  it('flattens line breaks and control characters in titles and names (no header injection)', () => {
    const email = only(aMessage('enrollment.confirmed', anOutcome({ eventTitle: 'Summit\r\nBcc: evil@example.org', name: 'Ada\n\u0007' })));
    expect(email.subject).to.equal("You're enrolled: Summit Bcc: evil@example.org");
    expect(email.subject).not.to.match(/[\r\n]/);
    expect(email.text).to.match(/^Hello Ada,/);
  });

  it('leaves out an address no mail server would take', () => {
    expect(notificationsFor(aMessage('enrollment.confirmed', anOutcome({ email: 'not an address' })))).to.deep.equal([]);
    expect(notificationsFor(aMessage('enrollment.confirmed', anOutcome({ email: 'a@b.org, c@d.org' })))).to.deep.equal([]);
    expect(isDeliverableAddress(' ada@example.org ')).to.equal(true);
  });

  it('is deterministic, and names an email by message and recipient, case-insensitively', () => {
    const message = aMessage('enrollment.confirmed', anOutcome());
    expect(notificationsFor(message)).to.deep.equal(notificationsFor(message));
    expect(emailIdOf('m1', 'Ada@Example.org')).to.equal(emailIdOf('m1', 'ada@example.org')).and.to.match(/^[0-9a-f]{32}$/);
    expect(emailIdOf('m1', 'ada@example.org')).not.to.equal(emailIdOf('m2', 'ada@example.org'));
  });

  it('formats times in UTC and keeps a text that is not a time as it is', () => {
    expect(formatWhen('2027-01-10T10:05:00+01:00')).to.equal('2027-01-10 09:05 UTC');
    expect(formatWhen('soon')).to.equal('soon');
  });
});
