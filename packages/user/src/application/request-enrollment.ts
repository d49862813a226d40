import type { Clock, DomainError, MessageFactory, Result, UnitOfWork } from '@conference/kernel';
import type { UserScope } from '../ports/user-scope.js';
import { forwardEnrollmentRequest, type EnrollmentInput } from './enrollment-request.js';
import { userMessage } from './messages.js';
import type { EnrollmentRequestView } from './views.js';

/**
 * `POST /api/users/me/enrollments {eventId}` → 202: asks to enroll the caller in an event by
 * publishing `user.enrolled` with their contact details. The user service cannot see events; the
 * event service decides (enrolled, waitlisted, rejected) and reports back by message and email,
 * and treats a repeated request as a no-op. Errors: USER.INVALID_EVENT_ID (validation), USER.NOT_FOUND.
 */
export class RequestEnrollment {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: EnrollmentInput): Promise<Result<EnrollmentRequestView, DomainError>> {
    return forwardEnrollmentRequest(this.uow, input, (user) =>
      userMessage(this.messages, 'user.enrolled', user.id, {
        userId: user.id,
        eventId: input.eventId,
        email: user.email,
        name: user.name,
        requestedAt: this.clock.now().toISOString(),
      }),
    );
  }
}
