import { ok, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import type { UserUnenrolledData } from '@conference/messages';
import { acknowledge, isActive, isOutOfOrder, withdrawalMarker } from '../domain/enrollment.js';
import type { EventScope } from '../ports/event-scope.js';
import { DUPLICATE, ENROLLMENT_CONSUMER, type Handled } from './consumers.js';
import { readEnrollmentMessage } from './enrollment-messages.js';
import { SeatAllocation, scopeLedger } from './seat-allocation.js';

export interface RecordUnenrollmentInput {
  readonly messageId: string;
  readonly data: UserUnenrolledData;
}

export type RecordUnenrollmentOutput = Handled<{
  /** `cancelled`: the user left; `unchanged`: they held no place; `out_of_order`: an older request, ignored. */
  readonly outcome: 'cancelled' | 'unchanged' | 'out_of_order';
  /** Users moved from the waitlist into the freed seat. */
  readonly promotedUserIds: readonly string[];
}>;

/**
 * Consumes user.unenrolled. An enrolled user leaves and frees the seat, which goes to the first on
 * the waitlist (enrollment.cancelled, then enrollment.promoted); a waitlisted user leaves the queue
 * and everyone behind moves up. Otherwise nothing is published.
 * An unenrollment that arrives before its enrollment (two consumers racing) leaves a marker so the
 * late enrollment is ignored. Error: ENROLLMENT.MALFORMED_MESSAGE.
 */
export class RecordUnenrollment {
  private readonly seats: SeatAllocation;

  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    messages: MessageFactory,
    private readonly clock: Clock,
  ) {
    this.seats = new SeatAllocation(messages);
  }

  async execute({ messageId, data }: RecordUnenrollmentInput): Promise<Result<RecordUnenrollmentOutput, DomainError>> {
    const parts = readEnrollmentMessage(data);
    if (!parts.ok) return parts;
    const { eventId, userId, requestedAt } = parts.value;
    const unchanged = { duplicate: false, outcome: 'unchanged', promotedUserIds: [] } as const;

    return this.uow.run(async (scope) => {
      if (!(await scope.inbox.record(ENROLLMENT_CONSUMER, messageId))) return ok(DUPLICATE);
      const now = this.clock.now();
      const event = eventId === null ? null : await scope.events.findForUpdate(eventId);
      if (event === null) return ok(unchanged);
      const enrollment = await scope.enrollments.find(event.id, userId);

      if (enrollment === null) {
        await scope.enrollments.save(withdrawalMarker(event.id, userId, requestedAt, now));
        return ok(unchanged);
      }
      if (isOutOfOrder(enrollment, requestedAt)) return ok({ duplicate: false, outcome: 'out_of_order', promotedUserIds: [] });
      if (!isActive(enrollment)) {
        await scope.enrollments.save(acknowledge(enrollment, requestedAt));
        return ok(unchanged);
      }

      const released = await this.seats.release(scopeLedger(scope, event.id), event, enrollment, requestedAt, now);
      await scope.events.update(released.event, event.version);
      return ok({ duplicate: false, outcome: 'cancelled', promotedUserIds: released.promoted.map((e) => e.userId) });
    });
  }
}
