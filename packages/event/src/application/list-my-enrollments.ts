import { ok, type Actor, type DomainError, type Page, type Result, type UnitOfWork } from '@conference/kernel';
import type { EventScope } from '../ports/event-scope.js';
import { positionsOf } from './list-enrollments.js';
import { readKeyset, toPage, type PageQuery } from './paging.js';
import { toEnrollmentView, type EnrollmentView } from './views.js';

export interface ListMyEnrollmentsInput extends PageQuery {
  readonly actor: Actor;
}

/** The actor's enrollments in every event, oldest first, with waitlist positions. */
export class ListMyEnrollments {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute(input: ListMyEnrollmentsInput): Promise<Result<Page<EnrollmentView>, DomainError>> {
    const keyset = readKeyset(input);
    if (!keyset.ok) return keyset;
    return this.uow.run(async ({ enrollments }) => {
      const slice = await enrollments.listByUser(input.actor.userId, keyset.value);
      const positions = await positionsOf(enrollments, slice.items);
      return ok(toPage(slice, (e) => ({ at: e.createdAt, id: e.eventId }), (e) => toEnrollmentView(e, positions.get(e) ?? null)));
    });
  }
}
