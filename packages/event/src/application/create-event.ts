import { canOrganize, err, ok, type Actor, type Clock, type DomainError, type IdGenerator, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import { createEvent } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { transact } from './transact.js';
import { toEventView, type EventView } from './views.js';

export interface CreateEventInput {
  readonly actor: Actor;
  readonly title: string;
  readonly description?: string;
  readonly venue: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly capacity: number;
}

/** Organizers and admins create events as drafts they own. Errors: EVENT.ORGANIZER_ROLE_REQUIRED, EVENT.INVALID. */
export class CreateEvent {
  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: CreateEventInput): Promise<Result<EventView, DomainError>> {
    if (!canOrganize(input.actor)) return err(EventErrors.organizerRoleRequired());
    const { actor, description = '', ...details } = input;
    const created = createEvent(this.ids.next(), actor.userId, { ...details, description }, this.clock.now());
    if (!created.ok) return created;
    return transact(this.uow, async ({ events }) => {
      await events.insert(created.value);
      return ok(toEventView(created.value));
    });
  }
}
