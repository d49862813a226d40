import { err, ok, type Actor, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { EnrollmentErrors, EventErrors } from '../domain/errors.js';
import type { EventScope } from '../ports/event-scope.js';
import { normalizeId, visibleEvent } from './access.js';
import { toEnrollmentView, type EnrollmentView } from './views.js';

export interface GetMyEnrollmentInput {
  readonly actor: Actor;
  readonly eventId: string;
}

/**
 * The actor's own enrollment in an event, with the waitlist position while waitlisted.
 * Errors: EVENT.NOT_FOUND, ENROLLMENT.NOT_FOUND (never asked, or the request is still on its way:
 * the user service shows it as pending until then).
 */
export class GetMyEnrollment {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute(input: GetMyEnrollmentInput): Promise<Result<EnrollmentView, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    return this.uow.run(async ({ events, enrollments }) => {
      const found = visibleEvent(input.actor, await events.findById(id));
      if (!found.ok) return found;
      const enrollment = await enrollments.find(id, input.actor.userId);
      if (enrollment === null) return err(EnrollmentErrors.notFound());
      return ok(toEnrollmentView(enrollment, await enrollments.waitlistPosition(id, input.actor.userId)));
    });
  }
}
