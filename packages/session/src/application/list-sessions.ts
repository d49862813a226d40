import {
  clampLimit,
  decodeCursor,
  encodeCursor,
  err,
  isUuid,
  ok,
  DomainError,
  type FieldIssue,
  type Page,
  type Result,
  type UnitOfWork,
} from '@conference/kernel';
import { invalidFilter } from '../domain/errors.js';
import type { Session } from '../domain/session.js';
import type { SessionKey } from '../ports/session-repository.js';
import type { SessionScope } from '../ports/session-scope.js';

export interface ListSessionsInput {
  readonly eventId?: string;
  readonly speakerId?: string;
  /** Sessions still running at or after `from` (endsAt > from). */
  readonly from?: Date;
  /** Sessions starting before `to` (startsAt < to). With `from`: every session overlapping [from, to). */
  readonly to?: Date;
  readonly limit?: number;
  readonly cursor?: string | null;
}

const invalidCursor = () =>
  DomainError.validation('PAGINATION.INVALID_CURSOR', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);

/** A cursor is the (startsAt, id) of the last session of the previous page. */
export const sessionCursor = (session: Pick<Session, 'startsAt' | 'id'>): string => encodeCursor([session.startsAt.toISOString(), session.id]);

function readCursor(cursor: string): Result<SessionKey, DomainError> {
  const decoded = decodeCursor(cursor, 2);
  if (!decoded.ok) return decoded;
  const [startsAt, id] = decoded.value;
  if (typeof startsAt !== 'string' || typeof id !== 'string' || !isUuid(id)) return err(invalidCursor());
  const date = new Date(startsAt);
  if (Number.isNaN(date.getTime())) return err(invalidCursor());
  return ok({ startsAt: date, id: id.toLowerCase() });
}

/**
 * GET /api/sessions: sessions in (startsAt, id) order, filtered by event, speaker and time
 * window, paged by keyset so pages neither repeat nor skip sessions added meanwhile (DESIGN §7).
 * Errors: SESSION.INVALID_FILTER, PAGINATION.INVALID_CURSOR.
 */
export class ListSessions {
  constructor(private readonly uow: UnitOfWork<SessionScope>) {}

  async execute(input: ListSessionsInput): Promise<Result<Page<Session>, DomainError>> {
    const issues: FieldIssue[] = [];
    if (input.eventId !== undefined && !isUuid(input.eventId)) issues.push({ path: 'eventId', message: 'must be a UUID' });
    if (input.speakerId !== undefined && !isUuid(input.speakerId)) issues.push({ path: 'speakerId', message: 'must be a UUID' });
    if (input.from && input.to && input.from.getTime() > input.to.getTime()) issues.push({ path: 'to', message: 'must not be before from' });
    if (issues.length > 0) return err(invalidFilter(issues));

    let after: SessionKey | null = null;
    if (input.cursor) {
      const key = readCursor(input.cursor);
      if (!key.ok) return key;
      after = key.value;
    }
    const limit = clampLimit(input.limit);
    const rows = await this.uow.run(({ sessions }) =>
      sessions.list({
        ...(input.eventId !== undefined && { eventId: input.eventId.toLowerCase() }),
        ...(input.speakerId !== undefined && { speakerId: input.speakerId.toLowerCase() }),
        ...(input.from !== undefined && { from: input.from }),
        ...(input.to !== undefined && { to: input.to }),
        after,
        // One more than asked tells whether a next page exists.
        limit: limit + 1,
      }),
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return ok({ items, nextCursor: rows.length > limit && last ? sessionCursor(last) : null });
  }
}
