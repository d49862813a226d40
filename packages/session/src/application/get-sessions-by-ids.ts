import { err, isUuid, ok, type DomainError, type Result } from '@conference/kernel';
import { invalidFilter } from '../domain/errors.js';
import type { Session } from '../domain/session.js';
import type { SessionQueries } from '../ports/session-queries.js';

export const MAX_BATCH = 100;

/**
 * A batch read (for gRPC and programme views): the sessions that exist among `ids`, in the order
 * asked, each once; unknown ids are left out (the caller compares). Malformed ids or more than
 * MAX_BATCH distinct ids → SESSION.INVALID_FILTER.
 */
export class GetSessionsByIds {
  constructor(private readonly sessions: SessionQueries) {}

  async execute(input: { readonly ids: readonly string[] }): Promise<Result<Session[], DomainError>> {
    const bad = input.ids.flatMap((id, i) => (isUuid(id) ? [] : [{ path: `ids[${i}]`, message: 'must be a UUID' }]));
    if (bad.length > 0) return err(invalidFilter(bad));
    const ids = [...new Set(input.ids.map((id) => id.toLowerCase()))];
    if (ids.length > MAX_BATCH) return err(invalidFilter([{ path: 'ids', message: `at most ${MAX_BATCH} distinct ids` }]));
    if (ids.length === 0) return ok([]);
    const found = await this.sessions.findByIds(ids);
    const byId = new Map(found.map((s) => [s.id, s]));
    return ok(ids.flatMap((id) => byId.get(id) ?? []));
  }
}
