import { DomainError, err, ok, type Result, type UnitOfWork } from '@conference/kernel';
import type { SessionChangedData } from '@conference/messages';
import { advanceWatermark, entryFor, hasMovedAway, isStaleNews, refreshEntry, type SessionSummary } from '../domain/programme.js';
import type { EventScope } from '../ports/event-scope.js';
import { normalizeId } from './access.js';
import { DUPLICATE, PROGRAMME_CONSUMER, type Handled } from './consumers.js';

export interface ProjectSessionChangedInput {
  readonly messageId: string;
  readonly data: SessionChangedData;
}

export type ProjectSessionChangedOutput = Handled<{
  /** `stale`: not newer than what the programme already holds, or the session is deleted; ignored. */
  readonly outcome: 'applied' | 'stale';
  /** Events whose programme changed. */
  readonly eventIds: readonly string[];
}>;

/**
 * Consumes session.created and session.updated: every programme that lists the session gets the
 * new title, time and room; a session that names an event we know joins that event's programme
 * (also on an update, in case it overtook the creation); a session moved to another event leaves
 * the programme it was created for. Anything not newer than the last version seen is ignored.
 * Error (malformed message): EVENT.MALFORMED_SESSION_MESSAGE.
 */
export class ProjectSessionChanged {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute({ messageId, data }: ProjectSessionChangedInput): Promise<Result<ProjectSessionChangedOutput, DomainError>> {
    const session = summaryOf(data);
    if (!session.ok) return session;
    const { sessionId, eventId } = session.value;

    return this.uow.run(async ({ inbox, events, programme }) => {
      if (!(await inbox.record(PROGRAMME_CONSUMER, messageId))) return ok(DUPLICATE);
      const watermark = await programme.watermark(sessionId);
      if (isStaleNews(watermark, session.value.version)) return ok({ duplicate: false, outcome: 'stale', eventIds: [] });
      await programme.saveWatermark(advanceWatermark(watermark, sessionId, session.value.version));

      // The event is read for update so a concurrent deletion of a draft cannot leave an orphan entry.
      const changed: string[] = [];
      const entries = await programme.findBySession(sessionId);
      for (const entry of entries) {
        if (hasMovedAway(entry, session.value)) {
          await programme.remove(entry.eventId, sessionId);
          changed.push(entry.eventId);
          continue;
        }
        const refreshed = refreshEntry(entry, session.value);
        if (refreshed === null) continue;
        await programme.upsert(refreshed);
        changed.push(entry.eventId);
      }
      if (eventId !== null && !entries.some((entry) => entry.eventId === eventId) && (await events.findForUpdate(eventId)) !== null) {
        await programme.upsert(entryFor(eventId, session.value, false));
        changed.push(eventId);
      }
      return ok({ duplicate: false, outcome: 'applied', eventIds: changed });
    });
  }
}

function summaryOf(data: SessionChangedData): Result<SessionSummary, DomainError> {
  const sessionId = normalizeId(data.sessionId);
  const startsAt = new Date(data.startsAt);
  const endsAt = new Date(data.endsAt);
  if (sessionId === null || Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime()) || !Number.isInteger(data.version)) {
    return err(DomainError.validation('EVENT.MALFORMED_SESSION_MESSAGE', 'session message has a bad id, time or version'));
  }
  // An eventId that is not a UUID names no event of ours; treat the session as standalone.
  const eventId = data.eventId === null ? null : normalizeId(data.eventId);
  return ok({ sessionId, eventId, title: data.title, startsAt, endsAt, room: data.room, version: data.version });
}
