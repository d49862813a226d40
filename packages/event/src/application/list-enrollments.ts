import { err, ok, type Actor, type DomainError, type Page, type Result, type UnitOfWork } from '@conference/kernel';
import type { Enrollment, EnrollmentStatus } from '../domain/enrollment.js';
import { EventErrors } from '../domain/errors.js';
import type { EnrollmentRepository } from '../ports/enrollment-repository.js';
import type { EventScope } from '../ports/event-scope.js';
import { manageableEvent, normalizeId } from './access.js';
import { readKeyset, toPage, type PageQuery } from './paging.js';
import { toEnrollmentView, type EnrollmentView } from './views.js';

export interface ListEnrollmentsInput extends PageQuery {
  readonly actor: Actor;
  readonly eventId: string;
  /** Only these statuses; every status when absent. */
  readonly statuses?: readonly EnrollmentStatus[];
}

/** The event's enrollments for its organizer or an admin, by creation time, with waitlist positions. */
export class ListEnrollments {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute(input: ListEnrollmentsInput): Promise<Result<Page<EnrollmentView>, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    const keyset = readKeyset(input);
    if (!keyset.ok) return keyset;
    return this.uow.run(async ({ events, enrollments }) => {
      const found = manageableEvent(input.actor, await events.findById(id));
      if (!found.ok) return found;
      const slice = await enrollments.listByEvent(id, input.statuses ?? [], keyset.value);
      const positions = await positionsOf(enrollments, slice.items);
      return ok(toPage(slice, (e) => ({ at: e.createdAt, id: e.userId }), (e) => toEnrollmentView(e, positions.get(e) ?? null)));
    });
  }
}

/** Waitlist positions of the waitlisted enrollments among `items` (at most one page of them). */
export async function positionsOf(enrollments: EnrollmentRepository, items: readonly Enrollment[]): Promise<Map<Enrollment, number>> {
  const positions = new Map<Enrollment, number>();
  for (const item of items) {
    if (item.status !== 'waitlisted') continue;
    const position = await enrollments.waitlistPosition(item.eventId, item.userId);
    if (position !== null) positions.set(item, position);
  }
  return positions;
}
