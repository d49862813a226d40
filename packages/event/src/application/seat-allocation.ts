import type { MessageFactory } from '@conference/kernel';
import { decide, promote, withdraw, type Enrollment, type EnrollmentRequest } from '../domain/enrollment.js';
import { acceptsEnrollments, freeSeat, hasFreeSeat, takeSeat, type Event } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { enrollmentOutcome } from './outgoing-messages.js';

export interface Placement {
  /** The event with its new seat count; the caller writes it. */
  readonly event: Event;
  readonly enrollment: Enrollment;
  /** The waitlist position when waitlisted, else null. */
  readonly position: number | null;
}

/**
 * The one place seats are taken and freed (DESIGN §7: every path that takes a seat goes through one
 * check). Callers hold the event's row lock (EventRepository.findForUpdate) for the whole unit of
 * work and write the returned event; every outcome is added to the outbox here.
 *
 * Invariant kept: while the event takes enrollments, a seat is free only when nobody is waiting.
 */
export class SeatAllocation {
  constructor(private readonly messages: MessageFactory) {}

  /**
   * Moves waitlisted users into free seats, first come first served (enrollment.promoted each).
   * `queueHead`: the first waitlisted as the caller already read it under the lock, if it did.
   */
  async promoteWaitlisted(
    scope: EventScope,
    event: Event,
    now: Date,
    queueHead?: Enrollment | null,
  ): Promise<{ event: Event; promoted: readonly Enrollment[] }> {
    let current = event;
    let known = queueHead;
    const promoted: Enrollment[] = [];
    while (acceptsEnrollments(current, now) && hasFreeSeat(current)) {
      const next = known !== undefined ? known : await scope.enrollments.firstWaitlisted(current.id);
      // After a promotion the queue has a new head, which only the repository knows.
      known = undefined;
      if (next === null) break;
      current = takeSeat(current);
      const enrolled = promote(next, now);
      await scope.enrollments.save(enrolled);
      await scope.outbox.add(enrollmentOutcome(this.messages, 'enrollment.promoted', current.title, enrolled, null));
      promoted.push(enrolled);
    }
    return { event: current, promoted };
  }

  /**
   * Gives a request a seat when one is free once the queue has been served, otherwise the end of the
   * queue (enrollment.confirmed or enrollment.waitlisted). The event must take enrollments.
   * `queueHead` as for promoteWaitlisted.
   */
  async place(
    scope: EventScope,
    event: Event,
    request: EnrollmentRequest,
    previous: Enrollment | null,
    now: Date,
    queueHead?: Enrollment | null,
  ): Promise<Placement> {
    // Serve anyone already waiting first, so a newcomer never overtakes the queue.
    const served = (await this.promoteWaitlisted(scope, event, now, queueHead)).event;
    if (hasFreeSeat(served)) {
      const enrollment = decide(request, previous, { status: 'enrolled' }, now);
      const withSeat = takeSeat(served);
      await scope.enrollments.save(enrollment);
      await scope.outbox.add(enrollmentOutcome(this.messages, 'enrollment.confirmed', withSeat.title, enrollment, null));
      return { event: withSeat, enrollment, position: null };
    }
    // The newcomer goes after everyone waiting (the row lock keeps the queue still meanwhile), so its
    // position is known from the same read as its order.
    const tail = await scope.enrollments.waitlistTail(served.id);
    const enrollment = decide(request, previous, { status: 'waitlisted', waitlistOrder: tail.nextOrder }, now);
    await scope.enrollments.save(enrollment);
    const position = tail.length + 1;
    await scope.outbox.add(enrollmentOutcome(this.messages, 'enrollment.waitlisted', served.title, enrollment, position));
    return { event: served, enrollment, position };
  }

  /**
   * Withdraws an enrolled or waitlisted user (enrollment.cancelled); a freed seat goes to the first
   * in the queue at once.
   */
  async release(
    scope: EventScope,
    event: Event,
    enrollment: Enrollment,
    requestedAt: Date,
    now: Date,
  ): Promise<{ event: Event; cancelled: Enrollment; promoted: readonly Enrollment[] }> {
    const cancelled = withdraw(enrollment, requestedAt, now);
    await scope.enrollments.save(cancelled);
    await scope.outbox.add(enrollmentOutcome(this.messages, 'enrollment.cancelled', event.title, cancelled, null));
    const afterRelease = enrollment.status === 'enrolled' ? freeSeat(event) : event;
    const { event: refilled, promoted } = await this.promoteWaitlisted(scope, afterRelease, now);
    return { event: refilled, cancelled, promoted };
  }
}
