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

/** A user's enrollment and, while it is waitlisted, its 1-based place in the queue (as waitlistPosition counts it). */
export interface PlacedEnrollment {
  readonly enrollment: Enrollment;
  readonly position: number | null;
}

/** One event's waitlist as a batch of requests needs it: its first `heads` entries and where a newcomer joins. */
export interface QueueRead {
  readonly eventId: string;
  /** The first waitlisted enrollments, lowest waitlistOrder first (at most the number asked for). */
  readonly heads: readonly Enrollment[];
  readonly tail: WaitlistTail;
}

/** What findManyWithQueues returns: the enrollments that exist among the pairs asked for, and one QueueRead per event asked for. */
export interface EnrollmentsWithQueues {
  readonly enrollments: readonly PlacedEnrollment[];
  readonly queues: readonly QueueRead[];
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
  /**
   * What a batch of enrollment requests needs under its events' locks, in one read: the enrollment of
   * every (eventId, userId) pair that has one (with its waitlist position), and for every event of
   * `queues` its first `heads` waitlisted enrollments and its waitlistTail. Pairs and events that
   * cannot exist (ids that are not UUIDs) are skipped; an event without enrollments gets an empty queue.
   */
  findManyWithQueues(
    pairs: readonly { readonly eventId: string; readonly userId: string }[],
    queues: readonly { readonly eventId: string; readonly heads: number }[],
  ): Promise<EnrollmentsWithQueues>;
  /** Inserts, or replaces every field of, the row for (eventId, userId). */
  save(enrollment: Enrollment): Promise<void>;
  /**
   * save for many rows in one go, at most one per (eventId, userId). One row may leave an event's
   * waitlist while another joins it with the order the first had (the queue emptied, then refilled):
   * the result is as if they were saved one by one in any order.
   */
  saveMany(enrollments: readonly Enrollment[]): Promise<void>;
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
