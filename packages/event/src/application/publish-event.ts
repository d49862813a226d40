import { err, ok, type Actor, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import { publishEvent } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { manageableEvent, normalizeId } from './access.js';
import { eventPublished } from './outgoing-messages.js';
import { transact } from './transact.js';
import { toEventView, type EventView } from './views.js';

export interface PublishEventInput {
  readonly actor: Actor;
  readonly eventId: string;
  readonly expectedVersion?: number;
}

/**
 * draft → published (event.published); the start must still be ahead. Publishing a published
 * event again changes nothing and sends nothing, so a retried request is harmless.
 * Errors: EVENT.NOT_FOUND, EVENT.FORBIDDEN, EVENT.STALE_VERSION, EVENT.INVALID_TRANSITION (cancelled),
 * EVENT.ALREADY_STARTED.
 */
export class PublishEvent {
  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    private readonly messages: MessageFactory,
    private readonly clock: Clock,
  ) {}

  async execute(input: PublishEventInput): Promise<Result<EventView, DomainError>> {
    const id = normalizeId(input.eventId);
    if (id === null) return err(EventErrors.notFound());
    return transact(this.uow, async ({ events, outbox }) => {
      const found = manageableEvent(input.actor, await events.findForUpdate(id));
      if (!found.ok) return found;
      const event = found.value;
      if (event.status === 'published') return ok(toEventView(event));
      if (input.expectedVersion !== undefined && input.expectedVersion !== event.version) return err(EventErrors.stale());
      const published = publishEvent(event, this.clock.now());
      if (!published.ok) return published;
      await events.update(published.value, event.version);
      await outbox.add(eventPublished(this.messages, published.value));
      return ok(toEventView(published.value));
    });
  }
}
