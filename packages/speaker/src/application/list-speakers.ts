import { DomainError, clampLimit, decodeCursor, encodeCursor, err, isUuid, ok, type Page, type Result, type UnitOfWork } from '@conference/kernel';
import { SpeakerErrorCodes } from '../domain/errors.js';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerListPosition } from '../ports/speaker-repository.js';
import type { SpeakerScope } from '../ports/speaker-scope.js';

export interface ListSpeakersInput {
  /** Case-insensitive search in name, company and headline; blank: everyone. */
  readonly q?: string | null;
  /** Page size, clamped to 1..100 (default 20). */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | null;
}

export const MAX_QUERY_LENGTH = 200;

const invalidCursor = () =>
  DomainError.validation('PAGINATION.INVALID_CURSOR', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]);

/**
 * GET /api/speakers (`q`, `limit`, `cursor`); public. Ordered by name (case-insensitive), then id;
 * keyset cursors keep pages stable while speakers are added. Errors: PAGINATION.INVALID_CURSOR,
 * SPEAKER.INVALID_QUERY (q longer than 200 characters).
 */
export class ListSpeakers {
  constructor(private readonly uow: UnitOfWork<Pick<SpeakerScope, 'speakers'>>) {}

  async execute(input: ListSpeakersInput): Promise<Result<Page<Speaker>, DomainError>> {
    const q = input.q?.trim() ?? '';
    if (q.length > MAX_QUERY_LENGTH) {
      return err(DomainError.validation(SpeakerErrorCodes.invalidQuery, 'The search is too long', [
        { path: 'q', message: `must be at most ${MAX_QUERY_LENGTH} characters` },
      ]));
    }
    const limit = clampLimit(input.limit);
    let after: SpeakerListPosition | null = null;
    if (input.cursor) {
      const decoded = decodeCursor(input.cursor, 2);
      if (!decoded.ok) return decoded;
      const [name, id] = decoded.value;
      // A forged cursor must not reach the database as a malformed uuid (a 500 instead of a 400).
      if (typeof name !== 'string' || typeof id !== 'string' || !isUuid(id)) return err(invalidCursor());
      after = { name, id: id.toLowerCase() };
    }

    const rows = await this.uow.run(({ speakers }) => speakers.list({ q: q || null, after, limit: limit + 1 }));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    // The cursor carries the raw name: each adapter lowercases it the same way it lowercases rows.
    const nextCursor = rows.length > limit && last ? encodeCursor([last.name, last.id]) : null;
    return ok({ items, nextCursor });
  }
}
