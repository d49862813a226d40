import type { EnrollmentOutcomeData, KnownMessage, MessageType } from '@conference/messages';
import { isDeliverableAddress, normaliseRecipient, type Email } from './email.js';
import { rejectionSentence } from './rejection-reasons.js';

/** The message types that send email; every other type is only audited. */
export const NOTIFYING_TYPES = [
  'enrollment.confirmed',
  'enrollment.waitlisted',
  'enrollment.promoted',
  'enrollment.rejected',
  'enrollment.cancelled',
  'event.cancelled',
  'user.registered',
] as const satisfies readonly MessageType[];

export const PLATFORM_NAME = 'Conference Platform';

const SIGNATURE = `\n\n-- \nThe ${PLATFORM_NAME} team\nYou receive this email because of your account on the ${PLATFORM_NAME}.`;

/**
 * Titles and names come from users: a line break in a subject would start a new header in a
 * naive mailer, and control characters have no place in either. Both are flattened to spaces.
 */
// Control characters are exactly what this removes.
// eslint-disable-next-line no-control-regex
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();

const greeting = (name: string): string => {
  const clean = oneLine(name);
  return clean ? `Hello ${clean},` : 'Hello,';
};

const eventName = (title: string): string => oneLine(title) || 'the event';

/** `2027-01-10 09:00 UTC`: one unambiguous zone, since the notifier does not know the reader's. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

const ordinal = (n: number): string => {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
};

function enrollmentEmail(type: KnownMessage['type'], data: EnrollmentOutcomeData): Omit<Email, 'to'> | null {
  const title = eventName(data.eventTitle);
  const hello = greeting(data.name);
  switch (type) {
    case 'enrollment.confirmed':
      return {
        subject: `You're enrolled: ${title}`,
        text: `${hello}\n\nyour seat at ${title} is confirmed. We look forward to seeing you there.\n\nIf you can no longer come, please unenroll so someone on the waitlist gets your seat.`,
      };
    case 'enrollment.waitlisted': {
      const place = data.position !== null && Number.isInteger(data.position) && data.position > 0
        ? `You are ${ordinal(data.position)} on the waitlist.`
        : 'You are on the waitlist.';
      return {
        subject: `You're on the waitlist: ${title}`,
        text: `${hello}\n\n${title} is full at the moment. ${place} When a seat frees up, it goes to the first person on the waitlist, and we will email you if that is you.`,
      };
    }
    case 'enrollment.promoted':
      return {
        subject: `A seat opened up: you're enrolled in ${title}`,
        text: `${hello}\n\ngood news: a seat at ${title} became free and it is yours. You are now enrolled.\n\nIf you can no longer come, please unenroll so the next person on the waitlist gets the seat.`,
      };
    case 'enrollment.rejected':
      return {
        subject: data.eventTitle.trim() ? `Your enrollment in ${title} was not accepted` : 'Your enrollment request was not accepted',
        text: `${hello}\n\nwe could not enroll you in ${title}. ${rejectionSentence(data.reason)}`,
      };
    case 'enrollment.cancelled':
      return {
        subject: `Your enrollment in ${title} is cancelled`,
        text: `${hello}\n\nas you asked, you are no longer enrolled in ${title}. If this was a mistake, you can enroll again while seats are left.`,
      };
    default:
      return null;
  }
}

/**
 * Which emails a message sends, to whom (DESIGN §2: every enrollment outcome, a cancelled event
 * to everyone who was coming, a welcome to a new account). Pure: the same message always gives
 * the same emails, which is what lets the notifier recognise an email it has already sent.
 *
 * Each address gets at most one email per message (compared case-insensitively); an address a
 * mail server could not take is left out, since no retry would make it deliverable.
 */
export function notificationsFor(message: KnownMessage): Email[] {
  const emails: Email[] = [];
  switch (message.type) {
    case 'enrollment.confirmed':
    case 'enrollment.waitlisted':
    case 'enrollment.promoted':
    case 'enrollment.rejected':
    case 'enrollment.cancelled': {
      const body = enrollmentEmail(message.type, message.data);
      if (body) emails.push({ to: message.data.email.trim(), ...body });
      break;
    }
    case 'event.cancelled': {
      const title = eventName(message.data.title);
      for (const attendee of message.data.attendees) {
        emails.push({
          to: attendee.email.trim(),
          subject: `Cancelled: ${title}`,
          text: `${greeting(attendee.name)}\n\nwe are sorry to tell you that ${title}, planned for ${formatWhen(message.data.startsAt)}, has been cancelled by its organizer. Your enrollment ends with it; there is nothing you need to do.`,
        });
      }
      break;
    }
    case 'user.registered':
      emails.push({
        to: message.data.email.trim(),
        subject: `Welcome to the ${PLATFORM_NAME}`,
        text: `${greeting(message.data.name)}\n\nwelcome! Your account is ready. Browse the published events and enroll in the ones you would like to attend; we will email you about every enrollment.`,
      });
      break;
    default:
      break;
  }
  const seen = new Set<string>();
  return emails
    .filter((email) => isDeliverableAddress(email.to))
    .filter((email) => {
      const key = normaliseRecipient(email.to);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((email) => ({ ...email, text: `${email.text}${SIGNATURE}` }));
}
