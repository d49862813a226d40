import type { Event } from '../domain/event.js';
import type { ProgrammeEntry } from '../domain/programme.js';

/**
 * Renders an event and its programme as an iCalendar feed (RFC 5545): one VEVENT for the event and
 * one per session, times in UTC, CRLF line ends, TEXT escaped, lines folded at 75 octets. Pure, so
 * the same event always renders the same text for the same `generatedAt`; calendar clients that
 * subscribe (webcal) pick up changes by the stable UIDs.
 */
export interface CalendarOptions {
  /** DTSTAMP: when this feed was generated. */
  readonly generatedAt: Date;
  /** Right-hand side of every UID, so UIDs stay unique across calendars. */
  readonly uidDomain?: string;
  readonly productId?: string;
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

export function renderEventCalendar(event: Event, programme: readonly ProgrammeEntry[], options: CalendarOptions): string {
  const domain = options.uidDomain ?? 'events.conference.invalid';
  const stamp = formatUtc(options.generatedAt);
  const status = event.status === 'cancelled' ? 'CANCELLED' : event.status === 'draft' ? 'TENTATIVE' : 'CONFIRMED';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${escapeText(options.productId ?? '-//Conference Platform//Event Schedule//EN')}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(event.title)}`,
    ...vevent({
      uid: `event-${event.id}@${domain}`,
      stamp,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      summary: event.title,
      location: event.venue,
      description: event.description,
      status,
    }),
    ...programme.flatMap((entry) =>
      vevent({
        // One session may be listed by several events; the UID names both so merged calendars keep them apart.
        uid: `session-${entry.sessionId}.event-${event.id}@${domain}`,
        stamp,
        startsAt: entry.startsAt,
        endsAt: entry.endsAt,
        summary: entry.title,
        location: entry.room ? `${entry.room}, ${event.venue}` : event.venue,
        description: '',
        status,
      }),
    ),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

interface VEventFields {
  readonly uid: string;
  readonly stamp: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly summary: string;
  readonly location: string;
  readonly description: string;
  readonly status: string;
}

function vevent(fields: VEventFields): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${fields.uid}`,
    `DTSTAMP:${fields.stamp}`,
    `DTSTART:${formatUtc(fields.startsAt)}`,
    `DTEND:${formatUtc(fields.endsAt)}`,
    `SUMMARY:${escapeText(fields.summary)}`,
    `LOCATION:${escapeText(fields.location)}`,
    ...(fields.description ? [`DESCRIPTION:${escapeText(fields.description)}`] : []),
    `STATUS:${fields.status}`,
    'END:VEVENT',
  ];
}

/** 20260501T090000Z (RFC 5545 §3.3.5, form #2: UTC). */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped; other control characters dropped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/**
 * Folds a content line so no physical line exceeds 75 octets (RFC 5545 §3.1): continuation lines
 * start with one space, which counts towards their 75. A multi-octet UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}
