import type { RejectionReason } from './errors.js';

export type EnrollmentStatus = 'enrolled' | 'waitlisted' | 'rejected' | 'cancelled';
export const ENROLLMENT_STATUSES: readonly EnrollmentStatus[] = ['enrolled', 'waitlisted', 'rejected', 'cancelled'];
/** Statuses that hold a place (a seat or a place in the queue). */
export const ACTIVE_STATUSES: readonly EnrollmentStatus[] = ['enrolled', 'waitlisted'];

/**
 * A user's enrollment in an event (user_events). The contact is copied from user.enrolled so the
 * notifier can be told whom to email about a promotion or a cancellation without asking the user
 * service.
 */
export interface Enrollment {
  readonly eventId: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly status: EnrollmentStatus;
  /**
   * Place in the queue while waitlisted (lower = earlier, FIFO), null otherwise. Positions
   * (1, 2, 3 ...) are computed from it, so they shift when someone ahead leaves.
   */
  readonly waitlistOrder: number | null;
  /** Set only when rejected. */
  readonly reason: RejectionReason | null;
  /**
   * When the user made the request that set the current status (from the user service). A request
   * older than this arrived out of order and is ignored, so a late enroll cannot undo a later
   * unenroll.
   */
  readonly requestedAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface EnrollmentRequest {
  readonly eventId: string;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly requestedAt: Date;
}

export type EnrollmentDecision =
  | { readonly status: 'enrolled' }
  | { readonly status: 'waitlisted'; readonly waitlistOrder: number }
  | { readonly status: 'rejected'; readonly reason: RejectionReason };

export const isActive = (enrollment: Enrollment): boolean => ACTIVE_STATUSES.includes(enrollment.status);

/** A request older than the one that shaped the stored enrollment changes nothing. */
export const isOutOfOrder = (existing: Enrollment | null, requestedAt: Date): boolean =>
  existing !== null && requestedAt < existing.requestedAt;

/** Records the decision on a request, keeping the row's creation time when the user asked before. */
export function decide(request: EnrollmentRequest, previous: Enrollment | null, decision: EnrollmentDecision, now: Date): Enrollment {
  return {
    eventId: request.eventId,
    userId: request.userId,
    email: request.email,
    name: request.name,
    status: decision.status,
    waitlistOrder: decision.status === 'waitlisted' ? decision.waitlistOrder : null,
    reason: decision.status === 'rejected' ? decision.reason : null,
    requestedAt: new Date(request.requestedAt),
    createdAt: new Date(previous?.createdAt ?? now),
    updatedAt: new Date(now),
  };
}

/** A repeated request for a place the user already holds: only its time is remembered. */
export const acknowledge = (enrollment: Enrollment, requestedAt: Date): Enrollment =>
  requestedAt > enrollment.requestedAt ? { ...enrollment, requestedAt: new Date(requestedAt) } : enrollment;

export function promote(enrollment: Enrollment, now: Date): Enrollment {
  if (enrollment.status !== 'waitlisted') throw new Error(`only a waitlisted enrollment can be promoted, not ${enrollment.status}`);
  return { ...enrollment, status: 'enrolled', waitlistOrder: null, updatedAt: new Date(now) };
}

export function withdraw(enrollment: Enrollment, requestedAt: Date, now: Date): Enrollment {
  if (!isActive(enrollment)) throw new Error(`only an active enrollment can be withdrawn, not ${enrollment.status}`);
  return { ...enrollment, status: 'cancelled', waitlistOrder: null, requestedAt: new Date(requestedAt), updatedAt: new Date(now) };
}

/**
 * An unenrollment that overtook its enrollment (both in flight on different instances) leaves
 * this marker, so the enrollment arriving afterwards is recognised as older and ignored.
 * The contact is unknown (user.unenrolled carries none); nothing is ever sent to it.
 */
export const withdrawalMarker = (eventId: string, userId: string, requestedAt: Date, now: Date): Enrollment => ({
  eventId,
  userId,
  email: '',
  name: '',
  status: 'cancelled',
  waitlistOrder: null,
  reason: null,
  requestedAt: new Date(requestedAt),
  createdAt: new Date(now),
  updatedAt: new Date(now),
});
