import { err, isUuid, ok, type DomainError, type Result } from '@conference/kernel';
import { sessionNotFound } from '../domain/errors.js';
import type { Session } from '../domain/session.js';
import type { SessionQueries } from '../ports/session-queries.js';
import { isSpeakersNotFound, type SpeakerDirectory, type SpeakerSummary } from '../ports/speaker-directory.js';

export interface SessionDetails {
  readonly session: Session;
  /**
   * The speakers in the session's order, or null when the speaker service could not answer.
   * A read does not fail because a peer is down: the session itself is ours and still correct,
   * and `speakerIds` is always there; clients show the names when they come back.
   */
  readonly speakers: SpeakerSummary[] | null;
}

/**
 * GET /api/sessions/:id: the session with its speakers' summaries. A speaker the directory no
 * longer knows (deleted, detachment not yet processed) is left out of `speakers`.
 * Errors: SESSION.NOT_FOUND (also for a malformed id).
 *
 * `speakers` may be a cached directory (CachingSpeakerDirectory): the names shown are then at most
 * as stale as that cache allows, which is fine for display. Writes check speakers uncached.
 */
export class GetSession {
  constructor(
    private readonly sessions: SessionQueries,
    private readonly speakers: SpeakerDirectory,
  ) {}

  async execute(input: { readonly sessionId: string }): Promise<Result<SessionDetails, DomainError>> {
    if (!isUuid(input.sessionId)) return err(sessionNotFound(input.sessionId));
    const session = await this.sessions.findById(input.sessionId.toLowerCase());
    if (!session) return err(sessionNotFound(input.sessionId));
    return ok({ session, speakers: await this.summaries(session.speakerIds) });
  }

  private async summaries(ids: readonly string[]): Promise<SpeakerSummary[] | null> {
    if (ids.length === 0) return [];
    let answer = await this.speakers.getSpeakers(ids);
    if (!answer.ok && isSpeakersNotFound(answer.error)) {
      const missing = new Set(answer.error.missingIds.map((id) => id.toLowerCase()));
      const rest = ids.filter((id) => !missing.has(id.toLowerCase()));
      answer = rest.length > 0 ? await this.speakers.getSpeakers(rest) : ok([]);
    }
    if (!answer.ok) return null;
    const byId = new Map(answer.value.map((s) => [s.id.toLowerCase(), s]));
    return ids.flatMap((id) => byId.get(id.toLowerCase()) ?? []);
  }
}
