import type { Enrollment, EnrollmentStatus } from '../domain/enrollment.js';
import type { Keyset, Slice } from './keyset.js';

export type EnrollmentCounts = Readonly<Record<EnrollmentStatus, number>>;

/** A user's enrollment in an event beside the head of that event's waitlist, read together. */
export interface EnrollmentAndQueueHead {
  readonly enrollment: Enrollment | null;
  /** The waitlisted enrollment with the lowest waitlistOrder, as firstWaitlisted gives it. */
  readonly queueHead: Enrollment | null;
}

export interface WaitlistTail {
  readonly nextOrder: number;
  readonly length: number;
}

/**
 * Port: enrollments (user_events), one row per (eventId, userId).
 *
 * Every write happens while the unit of work holds the event's lock (EventRepository.findForUpdate),
 * which is what makes the waitlist order and the seat count consistent; the repository itself
 * needs no version check. Returned enrollments are copies; dates round-trip to the millisecond.
 */
export interface EnrollmentRepository {
  /** The enrollment of this user in this event, or null. */
  find(eventId: string, userId: string): Promise<Enrollment | null>;
  /** find and firstWaitlisted in one read: what an enrollment request needs under the event's lock. */
  findWithQueueHead(eventId: string, userId: string): Promise<EnrollmentAndQueueHead>;
  /** Inserts, or replaces every field of, the row for (eventId, userId). */
  save(enrollment: Enrollment): Promise<void>;
  /** The waitlisted enrollment with the lowest waitlistOrder in the event (first come, first served), or null. */
  firstWaitlisted(eventId: string): Promise<Enrollment | null>;
  /**
   * Where a newcomer joins the event's waitlist, in one read: `nextOrder` is greater than the order
   * of every enrollment waitlisted in the event now (1 when none is), `length` is how many are
   * waitlisted now, so the newcomer saved with `nextOrder` is at position `length + 1`.
   */
  waitlistTail(eventId: string): Promise<WaitlistTail>;
  /**
   * 1-based place in the event's waitlist (1 = next to be promoted), counting only waitlisted
   * enrollments; null when the user is not waitlisted in the event.
   */
  waitlistPosition(eventId: string, userId: string): Promise<number | null>;
  /** The event's enrollments in the given statuses (every status when absent or empty), ordered by (createdAt, userId). */
  listByEvent(eventId: string, statuses: readonly EnrollmentStatus[], page: Keyset): Promise<Slice<Enrollment>>;
  /** A user's enrollments in every event, ordered by (createdAt, eventId). */
  listByUser(userId: string, page: Keyset): Promise<Slice<Enrollment>>;
  /** Every enrolled and waitlisted enrollment of the event (whom to tell when it is cancelled), ordered by (createdAt, userId). */
  listActive(eventId: string): Promise<readonly Enrollment[]>;
  /** How many of the event's enrollments are in each status (zero for statuses with none). */
  counts(eventId: string): Promise<EnrollmentCounts>;
  /** Removes every enrollment of the event (it is being deleted). */
  deleteByEvent(eventId: string): Promise<void>;
}
