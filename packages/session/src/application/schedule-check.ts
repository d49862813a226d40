import { err, ok, type DomainError, type Result } from '@conference/kernel';
import { roomDoubleBooked, speakerDoubleBooked, type SpeakerClash } from '../domain/errors.js';
import { scheduleLockKeys } from '../domain/schedule.js';
import type { Session } from '../domain/session.js';
import type { SessionScope } from '../ports/session-scope.js';

/**
 * The one place a booking is checked (every path that places a speaker or a room goes through
 * it, DESIGN §7): take the schedule locks of the booking, then look for sessions that overlap
 * it — sharing a speaker anywhere, or the room within the same event — other than itself.
 * Must run inside the unit of work that then writes the booking.
 */
export async function checkSchedule(
  scope: Pick<SessionScope, 'sessions' | 'locks'>,
  booking: Session,
  pathOf: (speakerId: string) => string,
): Promise<Result<void, DomainError>> {
  await scope.locks.acquire(scheduleLockKeys(booking));

  if (booking.speakerIds.length > 0) {
    const others = await scope.sessions.findSpeakerOverlaps(booking.speakerIds, booking, booking.id);
    const clashes: SpeakerClash[] = [];
    for (const speakerId of booking.speakerIds) {
      const other = others.find((o) => o.id !== booking.id && o.speakerIds.includes(speakerId));
      if (other) clashes.push({ speakerId, otherSessionId: other.id, otherTitle: other.title, otherStartsAt: other.startsAt, otherEndsAt: other.endsAt });
    }
    if (clashes.length > 0) return err(speakerDoubleBooked(clashes, pathOf));
  }

  if (booking.eventId !== null) {
    const [other] = (await scope.sessions.findRoomOverlaps(booking.eventId, booking.room, booking, booking.id)).filter((o) => o.id !== booking.id);
    if (other) return err(roomDoubleBooked(booking.room, other));
  }
  return ok(undefined);
}
