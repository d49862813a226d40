import { expect } from 'chai';
import { overlaps, roomKey, scheduleLockKeys } from './schedule.js';

const slot = (from: string, to: string) => ({ startsAt: new Date(`2026-05-04T${from}:00Z`), endsAt: new Date(`2026-05-04T${to}:00Z`) });

describe('schedule rules', () => {
  const booked = slot('10:00', '11:00');

  it('treats slots as half-open: touching slots do not overlap, in either order', () => {
    expect(overlaps(booked, slot('09:00', '10:00'))).to.equal(false);
    expect(overlaps(slot('11:00', '12:00'), booked)).to.equal(false);
    expect(overlaps(booked, slot('12:00', '13:00'))).to.equal(false);
  });

  it('finds identical, nested, enclosing and partial overlaps, symmetrically', () => {
    for (const other of [slot('10:00', '11:00'), slot('10:15', '10:45'), slot('09:00', '12:00'), slot('09:30', '10:01'), slot('10:59', '11:30')]) {
      expect(overlaps(booked, other)).to.equal(true);
      expect(overlaps(other, booked)).to.equal(true);
    }
  });

  it('identifies rooms trimmed and case-insensitively, also in composed and decomposed Unicode', () => {
    expect(roomKey('  Room A ')).to.equal(roomKey('room a'));
    expect(roomKey('Salle \u00C9toile')).to.equal(roomKey('salle E\u0301toile'));
    expect(roomKey('Room A')).to.not.equal(roomKey('Room B'));
  });

  it('locks each speaker and the event room once, sorted; no room lock without an event', () => {
    const s1 = '00000000-0000-4000-9000-000000000001';
    const s2 = '00000000-0000-4000-9000-000000000002';
    const e1 = '00000000-0000-4000-a000-000000000001';
    expect(scheduleLockKeys({ eventId: e1, room: ' Room A', speakerIds: [s2, s1, s2] })).to.deep.equal([
      `session:room:${e1}:room a`,
      `session:speaker:${s1}`,
      `session:speaker:${s2}`,
    ]);
    expect(scheduleLockKeys({ eventId: null, room: 'Room A', speakerIds: [s1] })).to.deep.equal([`session:speaker:${s1}`]);
  });
});
