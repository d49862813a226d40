import { err, ok, type Actor, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import { advanceWatermark, entryFor, type ProgrammeEntry } from '../domain/programme.js';
import type { Event } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import type { SessionDirectory } from '../ports/session-directory.js';
import { manageableEvent, normalizeId } from './access.js';
import { transact } from './transact.js';
import { toProgrammeEntryView, type ProgrammeEntryView } from './views.js';

export interface LinkSessionInput {
  readonly actor: Actor;
  readonly eventId: string;
  readonly sessionId: string;
}

export interface LinkSessionOutput {
  readonly entry: ProgrammeEntryView;
  /** False when the session was already in the programme (the request is idempotent). */
  readonly added: boolean;
}

/**
 * Adds an existing session to an event's programme, checked at once with the session service
 * (gRPC ValidateSession) rather than waiting for a message. A standalone session may be listed by
 * several events; a session created for another event may not.
 * Errors: EVENT.NOT_FOUND, EVENT.FORBIDDEN, EVENT.CANCELLED, EVENT.SESSION_NOT_FOUND (422),
 * EVENT.SESSION_OF_ANOTHER_EVENT (409), EVENT.SESSION_DIRECTORY_UNAVAILABLE (503).
 */
export class LinkSession {
  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    private readonly directory: SessionDirectory,
  ) {}

  async execute(input: LinkSessionInput): Promise<Result<LinkSessionOutput, DomainError>> {
    const eventId = normalizeId(input.eventId);
    if (eventId === null) return err(EventErrors.notFound());
    const sessionId = normalizeId(input.sessionId);
    if (sessionId === null) return err(EventErrors.sessionNotFound());

    // Check the event before asking the peer, and ask the peer outside the transaction, so no lock
    // is held while waiting on the network.
    const before = await this.uow.run(async ({ events }) => linkable(input.actor, await events.findById(eventId)));
    if (!before.ok) return before;
    const validated = await this.directory.validateSession(sessionId);
    if (!validated.ok) return validated;
    const session = validated.value;
    if (session.eventId !== null && session.eventId !== eventId) return err(EventErrors.sessionOfAnotherEvent());

    return transact(this.uow, async ({ events, programme }) => {
      const again = linkable(input.actor, await events.findForUpdate(eventId));
      if (!again.ok) return again;
      const watermark = await programme.watermark(sessionId);
      // Deleted between the check and now: the session.deleted message has already been handled.
      if (watermark?.deleted) return err(EventErrors.sessionNotFound());
      const existing = await programme.find(eventId, sessionId);
      const entry: ProgrammeEntry =
        existing !== null && existing.sourceVersion >= session.version
          ? existing
          : entryFor(eventId, session, existing?.linkedManually ?? session.eventId !== eventId);
      if (entry !== existing) await programme.upsert(entry);
      await programme.saveWatermark(advanceWatermark(watermark, sessionId, session.version));
      return ok({ entry: toProgrammeEntryView(entry), added: existing === null });
    });
  }
}

function linkable(actor: Actor, event: Event | null): Result<Event, DomainError> {
  const found = manageableEvent(actor, event);
  if (!found.ok) return found;
  return found.value.status === 'cancelled' ? err(EventErrors.readOnly()) : found;
}
