import { err, isUuid, ok, type Actor, type DomainError, type OutgoingMessage, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import type { User } from '../domain/user.js';
import type { UserScope } from '../ports/user-scope.js';
import { runAtomically } from './support.js';
import type { EnrollmentRequestView } from './views.js';

export interface EnrollmentInput {
  readonly actor: Actor;
  readonly eventId: string;
}

/**
 * Passes an enrollment request for the caller on to the event service: the message `announce`
 * builds goes to the outbox in one unit of work with reading the caller's account. Messages are
 * keyed by the user, so the relay keeps one person's enroll/unenroll requests in order.
 */
export async function forwardEnrollmentRequest(
  uow: UnitOfWork<UserScope>,
  input: EnrollmentInput,
  announce: (user: User) => OutgoingMessage,
): Promise<Result<EnrollmentRequestView, DomainError>> {
  if (!isUuid(input.eventId)) return err(UserErrors.invalidEventId());
  return runAtomically(uow, async ({ users, outbox }) => {
    const user = await users.findById(input.actor.userId);
    if (!user) return err(UserErrors.notFound(input.actor.userId));
    await outbox.add(announce(user));
    return ok({ eventId: input.eventId, userId: user.id, status: 'pending' as const });
  });
}
