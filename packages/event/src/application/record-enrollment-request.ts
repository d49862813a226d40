import { ok, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import type { UserEnrolledData } from '@conference/messages';
import type { EventScope } from '../ports/event-scope.js';
import { answerEnrollmentRequest, type EnrollmentAnswer } from './answer-enrollment-request.js';
import { DUPLICATE, ENROLLMENT_CONSUMER, type Handled } from './consumers.js';
import { readEnrollmentRequest } from './enrollment-messages.js';
import { scopeLedger } from './seat-allocation.js';

export type { EnrollmentRequestOutcome } from './answer-enrollment-request.js';

export interface RecordEnrollmentRequestInput {
  readonly messageId: string;
  readonly data: UserEnrolledData;
}

export type RecordEnrollmentRequestOutput = Handled<EnrollmentAnswer>;

/**
 * Consumes user.enrolled. An unknown, draft, cancelled or already started event rejects the
 * request (enrollment.rejected with a reason); otherwise the user gets a free seat
 * (enrollment.confirmed) or the end of the waitlist (enrollment.waitlisted with the position).
 * A cancelled or rejected enrollment may enroll again. The event's row lock makes this safe with
 * any number of consumers at once. Error (the message is malformed and should be dead-lettered):
 * ENROLLMENT.MALFORMED_MESSAGE. The rules themselves are answerEnrollmentRequest's, shared with
 * RecordEnrollmentRequests (many messages in one unit of work).
 */
export class RecordEnrollmentRequest {
  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    private readonly messages: MessageFactory,
    private readonly clock: Clock,
  ) {}

  async execute({ messageId, data }: RecordEnrollmentRequestInput): Promise<Result<RecordEnrollmentRequestOutput, DomainError>> {
    const read = readEnrollmentRequest(data);
    if (!read.ok) return read;
    const { eventId, request } = read.value;

    return this.uow.run(async (scope) => {
      if (!(await scope.inbox.record(ENROLLMENT_CONSUMER, messageId))) return ok(DUPLICATE);
      const now = this.clock.now();
      const event = eventId === null ? null : await scope.events.findForUpdate(eventId);
      // The queue's head comes with the user's enrollment, so placing needs no read of its own.
      const { enrollment: previous, queueHead } =
        event === null ? { enrollment: null, queueHead: null } : await scope.enrollments.findWithQueueHead(event.id, request.userId);
      const answered = await answerEnrollmentRequest(scopeLedger(scope, request.eventId, queueHead), this.messages, request, event, previous, now);
      // Placing changes only the seat count; a newcomer who joins the queue changes nothing to write.
      if (event !== null && answered.event !== null && answered.event.seatsTaken !== event.seatsTaken) {
        await scope.events.update(answered.event, event.version);
      }
      return ok({ duplicate: false, ...answered.answer });
    });
  }
}
