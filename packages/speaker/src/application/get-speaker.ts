import { err, ok, type DomainError, type Result } from '@conference/kernel';
import { SpeakerErrors } from '../domain/errors.js';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerQueries } from '../ports/speaker-queries.js';
import { normaliseSpeakerId } from './speaker-ids.js';

export interface GetSpeakerInput {
  readonly speakerId: string;
}

/**
 * GET /api/speakers/:id and gRPC GetSpeaker; public. Errors: SPEAKER.NOT_FOUND (also for an id
 * that is not a UUID: it names no speaker).
 */
export class GetSpeaker {
  constructor(private readonly speakers: SpeakerQueries) {}

  async execute(input: GetSpeakerInput): Promise<Result<Speaker, DomainError>> {
    const id = normaliseSpeakerId(input.speakerId);
    if (id === null) return err(SpeakerErrors.notFound(input.speakerId));
    const speaker = await this.speakers.findById(id);
    return speaker === null ? err(SpeakerErrors.notFound(id)) : ok(speaker);
  }
}
