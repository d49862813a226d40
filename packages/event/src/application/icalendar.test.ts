import { expect } from 'chai';
import { unwrap } from '@conference/kernel';
import type { Event } from '../domain/event.js';
import type { ProgrammeEntry } from '../domain/programme.js';
import { anEntry, anEvent, uuid } from '../testing/contract-support.js';
import { UseCaseKit } from '../testing/use-case-kit.js';
import { escapeText, foldLine, formatUtc, renderEventCalendar } from './icalendar.js';

const generatedAt = new Date('2027-01-10T09:00:00.000Z');

/** Undoes folding (RFC 5545 §3.1): a CRLF followed by one space or tab joins the lines. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');
const contentLines = (text: string) => unfold(text).split('\r\n').slice(0, -1);

describe('iCalendar feed', () => {
  const event: Event = anEvent({
    title: 'Summit; 2027, edition \\ one',
    description: 'Line one\nLine two, with commas; and semicolons',
    venue: 'Hall A, Centre',
  });
  const sessions: ProgrammeEntry[] = [
    anEntry({ sessionId: uuid(501), title: 'Opening', room: 'Room 1' }),
    anEntry({ sessionId: uuid(502), title: `A very long title ${'ünïcödé '.repeat(20)}`, room: 'Hall B', startsAt: new Date('2027-03-01T10:00:00.000Z'), endsAt: new Date('2027-03-01T11:00:00.000Z') }),
  ];
  const text = renderEventCalendar(event, sessions, { generatedAt, uidDomain: 'example.org' });

  it('ends every line with CRLF and has no bare line feed or carriage return', () => {
    expect(text.endsWith('END:VCALENDAR\r\n')).to.equal(true);
    expect(text.replace(/\r\n/g, '')).to.not.match(/[\r\n]/);
  });

  it('folds lines at 75 octets, with a leading space, without splitting a character', () => {
    const physical = text.split('\r\n').slice(0, -1);
    for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).to.be.at.most(75);
    expect(physical.some((line) => line.startsWith(' '))).to.equal(true);
    expect(text).to.not.include('\uFFFD');
    const summary = contentLines(text).find((l) => l.startsWith('SUMMARY:A very long title'));
    expect(summary).to.equal(`SUMMARY:A very long title ${'ünïcödé '.repeat(20)}`);
  });

  it('holds one calendar with the event and each session as a VEVENT with the required properties', () => {
    const lines = contentLines(text);
    expect(lines.slice(0, 2)).to.deep.equal(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(lines.filter((l) => l.startsWith('PRODID:'))).to.have.length(1);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).to.have.length(3);
    expect(lines.filter((l) => l === 'END:VEVENT')).to.have.length(3);
    const events = unfold(text).split('BEGIN:VEVENT').slice(1);
    for (const vevent of events) {
      for (const property of ['UID:', 'DTSTAMP:20270110T090000Z', 'DTSTART:', 'DTEND:', 'SUMMARY:', 'LOCATION:']) {
        expect(vevent).to.include(`\r\n${property}`);
      }
    }
    expect(lines).to.include(`UID:event-${event.id}@example.org`);
    expect(lines).to.include(`UID:session-${uuid(501)}.event-${event.id}@example.org`);
    expect(lines).to.include('DTSTART:20270301T090000Z');
    expect(lines).to.include('DTEND:20270301T170000Z');
  });

  it('escapes backslash, semicolon, comma and line breaks in text', () => {
    const lines = contentLines(text);
    expect(lines).to.include('SUMMARY:Summit\\; 2027\\, edition \\\\ one');
    expect(lines).to.include('DESCRIPTION:Line one\\nLine two\\, with commas\\; and semicolons');
    expect(lines).to.include('LOCATION:Hall A\\, Centre');
    expect(lines).to.include('LOCATION:Room 1\\, Hall A\\, Centre');
    expect(escapeText('a\r\nb\rc\u0007d')).to.equal('a\\nb\\ncd');
  });

  it('marks the sessions of a cancelled event as cancelled', () => {
    const cancelled = renderEventCalendar({ ...event, status: 'cancelled' }, sessions, { generatedAt });
    expect(contentLines(cancelled).filter((l) => l === 'STATUS:CANCELLED')).to.have.length(3);
  });

  it('folds exactly at the boundary', () => {
    expect(foldLine('x'.repeat(75))).to.equal('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).to.equal(`${'x'.repeat(75)}\r\n x`);
    expect(foldLine('x'.repeat(75 + 74 + 1))).to.equal(`${'x'.repeat(75)}\r\n ${'x'.repeat(74)}\r\n x`);
    // 74 ASCII octets + a 2-octet character would make 76: the character moves to the next line whole.
    expect(foldLine(`${'x'.repeat(74)}é`)).to.equal(`${'x'.repeat(74)}\r\n é`);
    expect(formatUtc(new Date('2027-03-01T09:05:07.999Z'))).to.equal('20270301T090507Z');
  });

  it('is served for a visible event by GetScheduleCalendar', async () => {
    const kit = new UseCaseKit();
    const published = await kit.published();
    const { calendar } = unwrap(await kit.getScheduleCalendar.execute({ actor: null, eventId: published.id }));
    expect(calendar).to.include(`UID:event-${published.id}@example.org\r\n`);
    const draft = await kit.draft();
    expect((await kit.getScheduleCalendar.execute({ actor: null, eventId: draft.id })).ok).to.equal(false);
  });
});
