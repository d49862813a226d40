import { err, ok, type Actor, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { SpeakerErrors } from '../domain/errors.js';
import { mayDeleteSpeaker } from '../domain/speaker-policy.js';
import type { SpeakerScope } from '../ports/speaker-scope.js';
import { SpeakerMessageTypes, speakerDeletedData } from './speaker-messages.js';
import { conflictsAsResults } from './conflicts.js';
import { normaliseSpeakerId } from './speaker-ids.js';

export interface DeleteSpeakerInput {
  readonly actor: Actor;
  readonly speakerId: string;
  /** When given (`If-Match`), the delete is refused if the profile changed since that version. */
  readonly expectedVersion?: number;
}

export interface DeleteSpeakerOutput {
  readonly speakerId: string;
}

/**
 * DELETE /api/speakers/:id. Errors: SPEAKER.NOT_FOUND, SPEAKER.DELETE_FORBIDDEN (neither admin nor
 * the organizer who created it), SPEAKER.STALE_VERSION. Publishes speaker.deleted, on which the
 * session service detaches the speaker from every session.
 */
export class DeleteSpeaker {
  constructor(
    private readonly uow: UnitOfWork<SpeakerScope>,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: DeleteSpeakerInput): Promise<Result<DeleteSpeakerOutput, DomainError>> {
    const id = normaliseSpeakerId(input.speakerId);
    if (id === null) return err(SpeakerErrors.notFound(input.speakerId));

    return conflictsAsResults(() =>
      this.uow.run(async ({ speakers, outbox }): Promise<Result<DeleteSpeakerOutput, DomainError>> => {
        const current = await speakers.findById(id);
        if (current === null) return err(SpeakerErrors.notFound(id));
        if (!mayDeleteSpeaker(input.actor, current)) return err(SpeakerErrors.deleteForbidden());
        if (input.expectedVersion !== undefined && current.version !== input.expectedVersion) return err(SpeakerErrors.stale(id));

        await speakers.delete(id, current.version);
        await outbox.add(this.messages.create(SpeakerMessageTypes.deleted, id, speakerDeletedData(current)));
        return ok({ speakerId: id });
      }),
    );
  }
}
