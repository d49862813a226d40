import type { MessageFactory, OutgoingMessage } from '@conference/kernel';
import { decide, promote, withdraw, type Enrollment, type EnrollmentRequest } from '../domain/enrollment.js';
import { acceptsEnrollments, freeSeat, hasFreeSeat, takeSeat, type Event } from '../domain/event.js';
import type { WaitlistTail } from '../ports/enrollment-repository.js';
import type { EventScope } from '../ports/event-scope.js';
import { enrollmentOutcome } from './outgoing-messages.js';

/**
 * One event's enrollments and the outbox, as the enrollment rules read and write them: straight
 * through the unit of work's repositories (scopeLedger), or a batch's in-memory view of the event
 * that is written back once at its end (RecordEnrollmentRequests). Either way the caller holds the
 * event's row lock, so nothing else changes the queue meanwhile.
 */
export interface EventLedger {
  /** As EnrollmentRepository.firstWaitlisted for this event, with every save so far applied. */
  firstWaitlisted(): Promise<Enrollment | null>;
  /** As EnrollmentRepository.waitlistTail for this event, with every save so far applied. */
  waitlistTail(): Promise<WaitlistTail>;
  /** As EnrollmentRepository.waitlistPosition for this event, with every save so far applied. */
  waitlistPosition(userId: string): Promise<number | null>;
  save(enrollment: Enrollment): Promise<void>;
  publish(...messages: OutgoingMessage[]): Promise<void>;
}

/**
 * The ledger of one event on a unit of work's scope. `queueHead`: the first waitlisted as the caller
 * already read it under the lock, if it did; it answers the first firstWaitlisted, after which the
 * queue has a new head only the repository knows.
 */
export function scopeLedger(scope: EventScope, eventId: string, queueHead?: Enrollment | null): EventLedger {
  let known = queueHead;
  return {
    firstWaitlisted: async () => {
      const head = known !== undefined ? known : await scope.enrollments.firstWaitlisted(eventId);
      known = undefined;
      return head;
    },
    waitlistTail: () => scope.enrollments.waitlistTail(eventId),
    waitlistPosition: (userId) => scope.enrollments.waitlistPosition(eventId, userId),
    save: (enrollment) => scope.enrollments.save(enrollment),
    publish: (...messages) => scope.outbox.add(...messages),
  };
}

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

  /** Moves waitlisted users into free seats, first come first served (enrollment.promoted each). */
  async promoteWaitlisted(ledger: EventLedger, event: Event, now: Date): Promise<{ event: Event; promoted: readonly Enrollment[] }> {
    let current = event;
    const promoted: Enrollment[] = [];
    while (acceptsEnrollments(current, now) && hasFreeSeat(current)) {
      const next = await ledger.firstWaitlisted();
      if (next === null) break;
      current = takeSeat(current);
      const enrolled = promote(next, now);
      await ledger.save(enrolled);
      await ledger.publish(enrollmentOutcome(this.messages, 'enrollment.promoted', current.title, enrolled, null));
      promoted.push(enrolled);
    }
    return { event: current, promoted };
  }

  /**
   * Gives a request a seat when one is free once the queue has been served, otherwise the end of the
   * queue (enrollment.confirmed or enrollment.waitlisted). The event must take enrollments.
   */
  async place(ledger: EventLedger, event: Event, request: EnrollmentRequest, previous: Enrollment | null, now: Date): Promise<Placement> {
    // Serve anyone already waiting first, so a newcomer never overtakes the queue.
    const served = (await this.promoteWaitlisted(ledger, event, now)).event;
    if (hasFreeSeat(served)) {
      const enrollment = decide(request, previous, { status: 'enrolled' }, now);
      const withSeat = takeSeat(served);
      await ledger.save(enrollment);
      await ledger.publish(enrollmentOutcome(this.messages, 'enrollment.confirmed', withSeat.title, enrollment, null));
      return { event: withSeat, enrollment, position: null };
    }
    // The newcomer goes after everyone waiting (the row lock keeps the queue still meanwhile), so its
    // position is known from the same read as its order.
    const tail = await ledger.waitlistTail();
    const enrollment = decide(request, previous, { status: 'waitlisted', waitlistOrder: tail.nextOrder }, now);
    await ledger.save(enrollment);
    const position = tail.length + 1;
    await ledger.publish(enrollmentOutcome(this.messages, 'enrollment.waitlisted', served.title, enrollment, position));
    return { event: served, enrollment, position };
  }

  /**
   * Withdraws an enrolled or waitlisted user (enrollment.cancelled); a freed seat goes to the first
   * in the queue at once.
   */
  async release(
    ledger: EventLedger,
    event: Event,
    enrollment: Enrollment,
    requestedAt: Date,
    now: Date,
  ): Promise<{ event: Event; cancelled: Enrollment; promoted: readonly Enrollment[] }> {
    const cancelled = withdraw(enrollment, requestedAt, now);
    await ledger.save(cancelled);
    await ledger.publish(enrollmentOutcome(this.messages, 'enrollment.cancelled', event.title, cancelled, null));
    const afterRelease = enrollment.status === 'enrolled' ? freeSeat(event) : event;
    const { event: refilled, promoted } = await this.promoteWaitlisted(ledger, afterRelease, now);
    return { event: refilled, cancelled, promoted };
  }
}
