import { err, ok, type Actor, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import { reviseEvent, type EventDetails } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { manageableEvent, normalizeId } from './access.js';
import { SeatAllocation, scopeLedger } from './seat-allocation.js';
import { transact } from './transact.js';
import { toEventView, type EventView } from './views.js';

export interface UpdateEventInput {
  readonly actor: Actor;
  readonly eventId: string;
  /** The version the change is based on; when given and no longer current → EVENT.STALE_VERSION. */
  readonly expectedVersion?: number;
  readonly changes: Partial<EventDetails>;
}

/**
 * The organizer (or an admin) changes an event. Cancelled events are read-only. Capacity cannot
 * drop below the seats taken; raising it hands the new seats to the waitlist at once
 * (enrollment.promoted), through the same seat rule as every enrollment.
 * Errors: EVENT.NOT_FOUND, EVENT.FORBIDDEN, EVENT.CANCELLED, EVENT.STALE_VERSION, EVENT.INVALID,
 * EVENT.CAPACITY_BELOW_SEATS_TAKEN.
 */
export class UpdateEvent {
  private readonly seats: SeatAllocation;

  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    messages: MessageFactory,
    private readonly clock: Clock,
  ) {
    this.seats = new SeatAllocation(messages);
  }

  async execute(input: UpdateEventInput): Promise<Result<EventView, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    return transact(this.uow, async (scope) => {
      const found = manageableEvent(input.actor, await scope.events.findForUpdate(id));
      if (!found.ok) return found;
      const event = found.value;
      if (event.status === 'cancelled') return err(EventErrors.readOnly());
      if (input.expectedVersion !== undefined && input.expectedVersion !== event.version) return err(EventErrors.stale());
      const now = this.clock.now();
      const revised = reviseEvent(event, input.changes, now);
      if (!revised.ok) return revised;
      if (revised.value === event) return ok(toEventView(event));
      const { event: refilled } = await this.seats.promoteWaitlisted(scopeLedger(scope, event.id), revised.value, now);
      await scope.events.update(refilled, event.version);
      return ok(toEventView(refilled));
    });
  }
}
