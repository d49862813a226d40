import { EventErrors, type SessionDirectory, type SessionSummary } from '@conference/event';
import { err, isUuid, ok, type DomainError, type Logger, type Result } from '@conference/kernel';
import type { ValidateSession } from '@conference/session';
import { SpeakersNotFoundError, speakerDirectoryUnavailable, type SpeakerDirectory, type SpeakerSummary } from '@conference/session';
import type { GetSpeakersByIds } from '@conference/speaker';

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The event context's SessionDirectory as a call into the session context's ValidateSession, in
 * this process: what the gRPC client does minus the network. The answers map the same way
 * (GrpcSessionDirectory): no such session, or an id that is not one → EVENT.SESSION_NOT_FOUND; a
 * session side that cannot answer (its database failing) → EVENT.SESSION_DIRECTORY_UNAVAILABLE.
 * It never throws.
 */
export class InProcessSessionDirectory implements SessionDirectory {
  constructor(
    private readonly validate: Pick<ValidateSession, 'execute'>,
    private readonly logger: Logger,
  ) {}

  async validateSession(sessionId: string): Promise<Result<SessionSummary, DomainError>> {
    let answer: Awaited<ReturnType<ValidateSession['execute']>>;
    try {
      answer = await this.validate.execute({ sessionId });
    } catch (error) {
      this.logger.warn({ peer: 'session', error: describe(error) }, 'ValidateSession could not answer');
      return err(EventErrors.sessionDirectoryUnavailable());
    }
    if (!answer.ok) {
      const { kind } = answer.error;
      if (kind === 'not_found' || kind === 'validation') return err(EventErrors.sessionNotFound());
      return err(EventErrors.sessionDirectoryUnavailable());
    }
    const session = answer.value;
    return ok({
      sessionId: session.id,
      eventId: session.eventId,
      title: session.title,
      startsAt: new Date(session.startsAt.getTime()),
      endsAt: new Date(session.endsAt.getTime()),
      room: session.room,
      version: session.version,
    });
  }
}

/**
 * The session context's SpeakerDirectory as a call into the speaker context's GetSpeakersByIds
 * (what BatchGetSpeakers serves), in this process, with GrpcSpeakerDirectory's contract: one summary
 * per distinct id in first-asked order, every unknown or malformed id in SpeakersNotFoundError,
 * `unavailable` when the speaker side cannot answer. It never throws.
 */
export class InProcessSpeakerDirectory implements SpeakerDirectory {
  /** The speaker context's own limit per call (MAX_BATCH_IDS). */
  private static readonly BATCH = 100;

  constructor(private readonly getSpeakersByIds: Pick<GetSpeakersByIds, 'execute'>) {}

  async getSpeakers(ids: readonly string[]): Promise<Result<SpeakerSummary[], DomainError>> {
    if (ids.length === 0) return ok([]);
    const distinct = [...new Set(ids.map((id) => id.toLowerCase()))];
    // A malformed id names no speaker; asking would only get the whole batch refused.
    const wanted = distinct.filter((id) => isUuid(id));
    const found = new Map<string, SpeakerSummary>();
    for (let start = 0; start < wanted.length; start += InProcessSpeakerDirectory.BATCH) {
      let answer: Awaited<ReturnType<GetSpeakersByIds['execute']>>;
      try {
        answer = await this.getSpeakersByIds.execute({ ids: wanted.slice(start, start + InProcessSpeakerDirectory.BATCH) });
      } catch (error) {
        return err(speakerDirectoryUnavailable(describe(error)));
      }
      if (!answer.ok) return err(speakerDirectoryUnavailable(answer.error.message));
      for (const speaker of answer.value.speakers) {
        found.set(speaker.id.toLowerCase(), { id: speaker.id, name: speaker.name, headline: speaker.headline, company: speaker.company });
      }
    }
    const missing = distinct.filter((id) => !found.has(id));
    if (missing.length > 0) return err(new SpeakersNotFoundError(missing));
    return ok(distinct.map((id) => ({ ...found.get(id)! })));
  }
}
