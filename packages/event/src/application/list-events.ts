import { err, isAdmin, type Actor, type DomainError, type Page, type Result, ok } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { EventStatus } from '../domain/event.js';
import type { DraftVisibility, EventQuery } from '../ports/event-repository.js';
import type { EventCatalog } from '../ports/event-catalog.js';
import { normalizeId } from './access.js';
import { readKeyset, toPage, type PageQuery } from './paging.js';
import { toEventView, type EventView } from './views.js';

export interface ListEventsInput extends PageQuery {
  readonly actor: Actor | null;
  readonly statuses?: readonly EventStatus[];
  readonly from?: Date;
  readonly to?: Date;
  readonly q?: string;
  readonly organizerId?: string;
  /** `enrolled=me`: only events the actor is enrolled or waitlisted in. */
  readonly enrolled?: 'me';
}

/**
 * Events by start time, keyset-paged. Non-admins see published and cancelled events and their own
 * drafts; anonymous visitors no drafts. Errors: EVENT.AUTHENTICATION_REQUIRED (enrolled=me
 * anonymously), PAGINATION.INVALID_CURSOR. Read from the catalog: no unit of work for a read.
 */
export class ListEvents {
  constructor(private readonly catalog: EventCatalog) {}

  async execute(input: ListEventsInput): Promise<Result<Page<EventView>, DomainError>> {
    const { actor } = input;
    if (input.enrolled === 'me' && actor === null) return err(EventErrors.authenticationRequired());
    const keyset = readKeyset(input);
    if (!keyset.ok) return keyset;
    const organizerId = input.organizerId === undefined ? undefined : normalizeId(input.organizerId);
    if (organizerId === null) return ok({ items: [], nextCursor: null });
    const drafts: DraftVisibility =
      actor === null ? { kind: 'none' } : isAdmin(actor) ? { kind: 'all' } : { kind: 'own', organizerId: actor.userId };
    const query: EventQuery = {
      drafts,
      ...(input.statuses ? { statuses: input.statuses } : {}),
      ...(input.from ? { from: input.from } : {}),
      ...(input.to ? { to: input.to } : {}),
      ...(input.q?.trim() ? { titleContains: input.q.trim() } : {}),
      ...(organizerId ? { organizerId } : {}),
      ...(input.enrolled === 'me' && actor ? { enrolledUserId: actor.userId } : {}),
    };
    const slice = await this.catalog.list(query, keyset.value);
    return ok(toPage(slice, (event) => ({ at: event.startsAt, id: event.id }), toEventView));
  }
}
