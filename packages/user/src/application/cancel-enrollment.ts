import type { Clock, DomainError, MessageFactory, Result, UnitOfWork } from '@conference/kernel';
import type { UserScope } from '../ports/user-scope.js';
import { forwardEnrollmentRequest, type EnrollmentInput } from './enrollment-request.js';
import { userMessage } from './messages.js';
import type { EnrollmentRequestView } from './views.js';

/**
 * `DELETE /api/users/me/enrollments/:eventId` → 202: asks to withdraw the caller from an event by
 * publishing `user.unenrolled`; the event service frees the seat (promoting the first waitlisted
 * person) or ignores a request for an enrollment that does not exist.
 * Errors: USER.INVALID_EVENT_ID (validation), USER.NOT_FOUND.
 */
export class CancelEnrollment {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: EnrollmentInput): Promise<Result<EnrollmentRequestView, DomainError>> {
    return forwardEnrollmentRequest(this.uow, input, (user) =>
      userMessage(this.messages, 'user.unenrolled', user.id, { userId: user.id, eventId: input.eventId, requestedAt: this.clock.now().toISOString() }),
    );
  }
}
