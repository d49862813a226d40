import { err, ok, type Actor, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import { cancelEvent } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { manageableEvent, normalizeId } from './access.js';
import { eventCancelled } from './outgoing-messages.js';
import { transact } from './transact.js';
import { toEventView, type EventView } from './views.js';

export interface CancelEventInput {
  readonly actor: Actor;
  readonly eventId: string;
  readonly expectedVersion?: number;
}

/**
 * published → cancelled. event.cancelled carries the contact of every enrolled and waitlisted
 * attendee, so the notifier can tell them all. Enrollments keep their status as a record of who
 * was coming. Cancelling again changes nothing and sends nothing; a draft is deleted instead.
 * Errors: EVENT.NOT_FOUND, EVENT.FORBIDDEN, EVENT.STALE_VERSION, EVENT.INVALID_TRANSITION (draft).
 */
export class CancelEvent {
  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    private readonly messages: MessageFactory,
    private readonly clock: Clock,
  ) {}

  async execute(input: CancelEventInput): Promise<Result<EventView, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    return transact(this.uow, async ({ events, enrollments, outbox }) => {
      const found = manageableEvent(input.actor, await events.findForUpdate(id));
      if (!found.ok) return found;
      const event = found.value;
      if (event.status === 'cancelled') return ok(toEventView(event));
      if (input.expectedVersion !== undefined && input.expectedVersion !== event.version) return err(EventErrors.stale());
      const cancelled = cancelEvent(event, this.clock.now());
      if (!cancelled.ok) return cancelled;
      await events.update(cancelled.value, event.version);
      await outbox.add(eventCancelled(this.messages, cancelled.value, await enrollments.listActive(id)));
      return ok(toEventView(cancelled.value));
    });
  }
}
