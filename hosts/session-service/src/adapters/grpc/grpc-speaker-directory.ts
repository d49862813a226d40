import { GrpcPeer, SPEAKER_SERVICE, type GrpcPeerOptions, type PeerFailure } from '@conference/adapters-grpc';
import { err, isUuid, ok, type DomainError, type Result } from '@conference/kernel';
import { SpeakersNotFoundError, speakerDirectoryUnavailable, type SpeakerDirectory, type SpeakerSummary } from '@conference/session';

/** The speaker service's own limit per BatchGetSpeakers (MAX_BATCH_IDS there). */
const BATCH_LIMIT = 100;

interface BatchGetSpeakersResponse {
  readonly speakers?: readonly Partial<SpeakerSummary>[];
  readonly missingIds?: readonly string[];
}

export type GrpcSpeakerDirectoryOptions = Omit<GrpcPeerOptions, 'service' | 'peer'> & { readonly peer?: string };

/**
 * The session context's SpeakerDirectory over SpeakerService.BatchGetSpeakers, with the peer's
 * deadline, retries and circuit breaker. One round trip per 100 distinct ids (a session has at
 * most 20 speakers, so in practice one).
 */
export class GrpcSpeakerDirectory implements SpeakerDirectory {
  constructor(private readonly peer: GrpcPeer) {}

  static connect(options: GrpcSpeakerDirectoryOptions): GrpcSpeakerDirectory {
    return new GrpcSpeakerDirectory(new GrpcPeer({ peer: 'speaker-service', ...options, service: SPEAKER_SERVICE }));
  }

  async getSpeakers(ids: readonly string[]): Promise<Result<SpeakerSummary[], DomainError>> {
    if (ids.length === 0) return ok([]);
    const distinct = [...new Set(ids.map((id) => id.toLowerCase()))];
    // A malformed id names no speaker; asking would only get the whole batch refused.
    const wanted = distinct.filter((id) => isUuid(id));
    const found = new Map<string, SpeakerSummary>();
    const missing = new Set(distinct.filter((id) => !isUuid(id)));

    for (let start = 0; start < wanted.length; start += BATCH_LIMIT) {
      const batch = wanted.slice(start, start + BATCH_LIMIT);
      const answer = await this.peer.unary<{ speakerIds: string[] }, BatchGetSpeakersResponse>('BatchGetSpeakers', { speakerIds: batch });
      if (!answer.ok) return err(unavailable(answer.error));
      for (const speaker of answer.value.speakers ?? []) {
        const summary = asSummary(speaker);
        if (summary) found.set(summary.id.toLowerCase(), summary);
      }
      for (const id of answer.value.missingIds ?? []) missing.add(id.toLowerCase());
      // An answer that accounts for neither a speaker nor its absence breaks the contract; trusting it would drop a speaker silently.
      const unaccounted = batch.filter((id) => !found.has(id) && !missing.has(id));
      if (unaccounted.length > 0) return err(speakerDirectoryUnavailable(`the speaker service did not account for ${unaccounted.join(', ')}`));
    }

    const missingIds = distinct.filter((id) => missing.has(id));
    if (missingIds.length > 0) return err(new SpeakersNotFoundError(missingIds));
    return ok(distinct.map((id) => ({ ...found.get(id)! })));
  }

  close(): void {
    this.peer.close();
  }
}

/**
 * Every failure is `unavailable` to the session context: the port knows only "not found" (an
 * answer, handled above) and "cannot answer now". A status like INVALID_ARGUMENT for ids we checked
 * means the two services disagree on the contract, which the user can only wait out too.
 */
const unavailable = (failure: PeerFailure): DomainError => speakerDirectoryUnavailable(GrpcPeer.describe(failure));

function asSummary(value: Partial<SpeakerSummary>): SpeakerSummary | null {
  const { id, name, headline, company } = value;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof headline !== 'string' || typeof company !== 'string') return null;
  return { id, name, headline, company };
}
