import { ok, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import type { UserEnrolledData } from '@conference/messages';
import { acknowledge, decide, isActive, isOutOfOrder, type EnrollmentRequest } from '../domain/enrollment.js';
import { RejectionReasons } from '../domain/errors.js';
import { enrollmentRefusal } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { DUPLICATE, ENROLLMENT_CONSUMER, type Handled } from './consumers.js';
import { readEnrollmentMessage } from './enrollment-messages.js';
import { enrollmentOutcome } from './outgoing-messages.js';
import { SeatAllocation } from './seat-allocation.js';
import { toEnrollmentView, type EnrollmentView } from './views.js';

export interface RecordEnrollmentRequestInput {
  readonly messageId: string;
  readonly data: UserEnrolledData;
}

/**
 * - `enrolled` / `waitlisted` / `rejected`: decided now, and published;
 * - `unchanged`: the user already holds a seat or a place in the queue; nothing is published;
 * - `out_of_order`: the request is older than the one that shaped the enrollment; ignored.
 */
export type EnrollmentRequestOutcome = 'enrolled' | 'waitlisted' | 'rejected' | 'unchanged' | 'out_of_order';

export type RecordEnrollmentRequestOutput = Handled<{ readonly outcome: EnrollmentRequestOutcome; readonly enrollment: EnrollmentView | null }>;

/**
 * Consumes user.enrolled. An unknown, draft, cancelled or already started event rejects the
 * request (enrollment.rejected with a reason); otherwise the user gets a free seat
 * (enrollment.confirmed) or the end of the waitlist (enrollment.waitlisted with the position).
 * A cancelled or rejected enrollment may enroll again. The event's row lock makes this safe with
 * any number of consumers at once. Error (the message is malformed and should be dead-lettered):
 * ENROLLMENT.MALFORMED_MESSAGE.
 */
export class RecordEnrollmentRequest {
  private readonly seats: SeatAllocation;

  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    private readonly messages: MessageFactory,
    private readonly clock: Clock,
  ) {
    this.seats = new SeatAllocation(messages);
  }

  async execute({ messageId, data }: RecordEnrollmentRequestInput): Promise<Result<RecordEnrollmentRequestOutput, DomainError>> {
    const parts = readEnrollmentMessage(data);
    if (!parts.ok) return parts;
    const { eventId, userId, requestedAt } = parts.value;
    const request: EnrollmentRequest = {
      eventId: eventId ?? data.eventId,
      userId,
      email: data.email,
      name: data.name,
      requestedAt,
    };

    return this.uow.run(async (scope) => {
      if (!(await scope.inbox.record(ENROLLMENT_CONSUMER, messageId))) return ok(DUPLICATE);
      const now = this.clock.now();
      const event = eventId === null ? null : await scope.events.findForUpdate(eventId);
      // The queue's head comes with the user's enrollment, so placing needs no read of its own.
      const { enrollment: previous, queueHead } =
        event === null ? { enrollment: null, queueHead: null } : await scope.enrollments.findWithQueueHead(event.id, userId);

      if (isOutOfOrder(previous, requestedAt)) return ok({ duplicate: false, outcome: 'out_of_order', enrollment: null });
      if (previous !== null && isActive(previous)) {
        const kept = acknowledge(previous, requestedAt);
        await scope.enrollments.save(kept);
        // Only a waitlisted enrollment has a place in the queue: no query for a seat holder.
        const position = kept.status === 'waitlisted' ? await scope.enrollments.waitlistPosition(kept.eventId, kept.userId) : null;
        return ok({ duplicate: false, outcome: 'unchanged', enrollment: toEnrollmentView(kept, position) });
      }

      const refusal = enrollmentRefusal(event, now);
      if (event === null || refusal !== null) {
        const rejected = decide(request, previous, { status: 'rejected', reason: refusal ?? RejectionReasons.eventNotFound }, now);
        // A request for an event we do not know is answered but not kept: there is no event to keep it under.
        if (event !== null) await scope.enrollments.save(rejected);
        await scope.outbox.add(enrollmentOutcome(this.messages, 'enrollment.rejected', event?.title ?? '', rejected, null));
        return ok({ duplicate: false, outcome: 'rejected', enrollment: toEnrollmentView(rejected, null) });
      }

      const placement = await this.seats.place(scope, event, request, previous, now, queueHead);
      // Placing changes only the seat count; a newcomer who joins the queue changes nothing to write.
      if (placement.event.seatsTaken !== event.seatsTaken) await scope.events.update(placement.event, event.version);
      const outcome = placement.enrollment.status === 'enrolled' ? 'enrolled' : 'waitlisted';
      return ok({ duplicate: false, outcome, enrollment: toEnrollmentView(placement.enrollment, placement.position) });
    });
  }
}
