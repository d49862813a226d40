import { DomainError, ok, err, type FieldIssue, type Result } from '@conference/kernel';
import { SpeakerErrorCodes } from '../domain/errors.js';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerQueries } from '../ports/speaker-queries.js';
import { normaliseSpeakerId } from './speaker-ids.js';

export const MAX_BATCH_IDS = 100;

export interface GetSpeakersByIdsInput {
  readonly ids: readonly string[];
}

export interface GetSpeakersByIdsOutput {
  /** The speakers found, in the order first asked for, each once. */
  readonly speakers: readonly Speaker[];
  /** The ids asked for that name no speaker, in the order asked, each once (lowercased). */
  readonly missingIds: readonly string[];
}

/**
 * gRPC BatchGetSpeakers: one round trip for all the speakers of a session; public.
 * Errors: SPEAKER.TOO_MANY_IDS (more than 100 ids), SPEAKER.INVALID_ID (an id that is not a UUID,
 * with an issue per bad id at `ids[i]`). An empty list finds nothing and is not an error.
 */
export class GetSpeakersByIds {
  constructor(private readonly speakers: SpeakerQueries) {}

  async execute(input: GetSpeakersByIdsInput): Promise<Result<GetSpeakersByIdsOutput, DomainError>> {
    if (input.ids.length > MAX_BATCH_IDS) {
      return err(DomainError.validation(SpeakerErrorCodes.tooManyIds, `at most ${MAX_BATCH_IDS} speaker ids per request`, [
        { path: 'ids', message: `must have at most ${MAX_BATCH_IDS} items` },
      ]));
    }
    const issues: FieldIssue[] = [];
    const wanted: string[] = [];
    input.ids.forEach((raw, i) => {
      const id = normaliseSpeakerId(raw);
      if (id === null) issues.push({ path: `ids[${i}]`, message: 'must be a UUID' });
      else if (!wanted.includes(id)) wanted.push(id);
    });
    if (issues.length > 0) return err(DomainError.validation(SpeakerErrorCodes.invalidId, 'speaker ids must be UUIDs', issues));
    if (wanted.length === 0) return ok({ speakers: [], missingIds: [] });

    const found = await this.speakers.findByIds(wanted);
    const byId = new Map(found.map((speaker) => [speaker.id, speaker]));
    const speakers: Speaker[] = [];
    const missingIds: string[] = [];
    for (const id of wanted) {
      const speaker = byId.get(id);
      if (speaker) speakers.push(speaker);
      else missingIds.push(id);
    }
    return ok({ speakers, missingIds });
  }
}
