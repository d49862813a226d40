import { err, ok, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { SpeakerErrors } from '../domain/errors.js';
import type { Speaker } from '../domain/speaker.js';
import type { SpeakerScope } from '../ports/speaker-scope.js';
import { normaliseSpeakerId } from './speaker-ids.js';

export interface GetSpeakerInput {
  readonly speakerId: string;
}

/**
 * GET /api/speakers/:id and gRPC GetSpeaker; public. Errors: SPEAKER.NOT_FOUND (also for an id
 * that is not a UUID: it names no speaker).
 */
export class GetSpeaker {
  constructor(private readonly uow: UnitOfWork<Pick<SpeakerScope, 'speakers'>>) {}

  async execute(input: GetSpeakerInput): Promise<Result<Speaker, DomainError>> {
    const id = normaliseSpeakerId(input.speakerId);
    if (id === null) return err(SpeakerErrors.notFound(input.speakerId));
    const speaker = await this.uow.run(({ speakers }) => speakers.findById(id));
    return speaker === null ? err(SpeakerErrors.notFound(id)) : ok(speaker);
  }
}
