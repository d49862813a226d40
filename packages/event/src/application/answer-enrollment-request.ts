import type { MessageFactory } from '@conference/kernel';
import { acknowledge, decide, isActive, isOutOfOrder, type Enrollment, type EnrollmentRequest } from '../domain/enrollment.js';
import { RejectionReasons } from '../domain/errors.js';
import { enrollmentRefusal, type Event } from '../domain/event.js';
import { enrollmentOutcome } from './outgoing-messages.js';
import { SeatAllocation, type EventLedger } from './seat-allocation.js';
import { toEnrollmentView, type EnrollmentView } from './views.js';

/**
 * - `enrolled` / `waitlisted` / `rejected`: decided now, and published;
 * - `unchanged`: the user already holds a seat or a place in the queue; nothing is published;
 * - `out_of_order`: the request is older than the one that shaped the enrollment; ignored.
 */
export type EnrollmentRequestOutcome = 'enrolled' | 'waitlisted' | 'rejected' | 'unchanged' | 'out_of_order';

export interface EnrollmentAnswer {
  readonly outcome: EnrollmentRequestOutcome;
  readonly enrollment: EnrollmentView | null;
}

/**
 * The rules of one user.enrolled, shared by the per-message and the batch use cases so they cannot
 * drift apart: `event` is the request's event as locked (null when unknown), `previous` the user's
 * enrollment in it. Writes and messages go through the ledger; the returned event carries the new
 * seat count, which the caller writes (null stays null).
 */
export async function answerEnrollmentRequest(
  ledger: EventLedger,
  messages: MessageFactory,
  request: EnrollmentRequest,
  event: Event | null,
  previous: Enrollment | null,
  now: Date,
): Promise<{ readonly answer: EnrollmentAnswer; readonly event: Event | null }> {
  if (isOutOfOrder(previous, request.requestedAt)) return { answer: { outcome: 'out_of_order', enrollment: null }, event };
  if (previous !== null && isActive(previous)) {
    const kept = acknowledge(previous, request.requestedAt);
    await ledger.save(kept);
    // Only a waitlisted enrollment has a place in the queue: no query for a seat holder.
    const position = kept.status === 'waitlisted' ? await ledger.waitlistPosition(kept.userId) : null;
    return { answer: { outcome: 'unchanged', enrollment: toEnrollmentView(kept, position) }, event };
  }

  const refusal = enrollmentRefusal(event, now);
  if (event === null || refusal !== null) {
    const rejected = decide(request, previous, { status: 'rejected', reason: refusal ?? RejectionReasons.eventNotFound }, now);
    // A request for an event we do not know is answered but not kept: there is no event to keep it under.
    if (event !== null) await ledger.save(rejected);
    await ledger.publish(enrollmentOutcome(messages, 'enrollment.rejected', event?.title ?? '', rejected, null));
    return { answer: { outcome: 'rejected', enrollment: toEnrollmentView(rejected, null) }, event };
  }

  const placement = await new SeatAllocation(messages).place(ledger, event, request, previous, now);
  const outcome = placement.enrollment.status === 'enrolled' ? 'enrolled' : 'waitlisted';
  return { answer: { outcome, enrollment: toEnrollmentView(placement.enrollment, placement.position) }, event: placement.event };
}
