/**
 * Scheduling rules shared by the use cases and the adapters, so every adapter answers the
 * overlap questions with the same arithmetic.
 */

/** A half-open time interval [startsAt, endsAt). */
export interface TimeSlot {
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/**
 * Two slots overlap when each starts before the other ends. Half-open intervals: a session that
 * ends at 10:00 and one that starts at 10:00 do not overlap; identical, nested and partially
 * overlapping slots do (pretalx let identical slots through: DESIGN §7).
 * In SQL: `starts_at < $endsAt AND ends_at > $startsAt`.
 */
export const overlaps = (a: TimeSlot, b: TimeSlot): boolean =>
  a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();

/**
 * The identity of a room for clash checks: "Room A ", "room a" and "ROOM A" are the same room.
 * Adapters compare this value (e.g. a stored `room_key` column written from this function), not
 * their own lower()/trim(), so that every adapter agrees with the domain on non-ASCII names.
 */
export const roomKey = (room: string): string => room.normalize('NFC').trim().toLowerCase();

/** The lock that serializes bookings of one speaker, across events. */
export const speakerLockKey = (speakerId: string): string => `session:speaker:${speakerId.toLowerCase()}`;

/** The lock that serializes bookings of one room of one event (rooms outside an event never clash). */
export const roomLockKey = (eventId: string, room: string): string => `session:room:${eventId.toLowerCase()}:${roomKey(room)}`;

/** Every lock a booking of this shape needs, sorted and without repeats (sorted to avoid deadlocks). */
export function scheduleLockKeys(booking: { readonly eventId: string | null; readonly room: string; readonly speakerIds: readonly string[] }): string[] {
  const keys = new Set(booking.speakerIds.map(speakerLockKey));
  if (booking.eventId !== null) keys.add(roomLockKey(booking.eventId, booking.room));
  return [...keys].sort();
}
