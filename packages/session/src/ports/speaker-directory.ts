import { DomainError, type Result } from '@conference/kernel';

/** What the session service shows of a speaker (from the speaker service). */
export interface SpeakerSummary {
  readonly id: string;
  readonly name: string;
  readonly headline: string;
  readonly company: string;
}

/** The speaker directory could not find some of the ids it was asked for. */
export class SpeakersNotFoundError extends DomainError {
  constructor(readonly missingIds: readonly string[]) {
    super('SPEAKER.NOT_FOUND', 'not_found', `no speaker with id ${missingIds.join(', ')}`);
    this.name = 'SpeakersNotFoundError';
  }
}

export const isSpeakersNotFound = (error: DomainError): error is SpeakersNotFoundError => error instanceof SpeakersNotFoundError;

export const SPEAKER_DIRECTORY_UNAVAILABLE = 'SESSION.SPEAKER_DIRECTORY_UNAVAILABLE';

/** The error every adapter returns when the speaker service cannot answer (down, timed out, circuit open). */
export const speakerDirectoryUnavailable = (why: string): DomainError =>
  DomainError.unavailable(SPEAKER_DIRECTORY_UNAVAILABLE, `the speaker service cannot answer now: ${why}`);

/**
 * Port: the speaker service, asked over gRPC (BatchGetSpeakers) in production.
 *
 * Contract (checked by `speakerDirectoryContract`):
 * - `getSpeakers(ids)` answers one summary per distinct id, in the order each id first appears
 *   in `ids` (duplicates are asked for once).
 * - `[]` → ok([]) without asking the peer.
 * - When any id is unknown: err(SpeakersNotFoundError) whose `missingIds` lists every unknown id,
 *   once each, in request order; no partial answer.
 * - When the peer cannot answer (unreachable, deadline exceeded, circuit open): err with kind
 *   `unavailable` and code SESSION.SPEAKER_DIRECTORY_UNAVAILABLE (`speakerDirectoryUnavailable`).
 * - It never throws for these; a throw is a bug.
 *
 * Freshness: the gRPC adapter answers what the speaker service has now. CachingSpeakerDirectory
 * keeps this contract but may answer a summary up to its staleness bound old (see there), so it
 * serves display only; checks before a write use an uncached directory.
 */
export interface SpeakerDirectory {
  getSpeakers(ids: readonly string[]): Promise<Result<SpeakerSummary[], DomainError>>;
}
