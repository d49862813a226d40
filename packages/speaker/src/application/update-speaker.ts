import { err, ok, type Actor, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { SpeakerErrors, UserAlreadyLinkedError } from '../domain/errors.js';
import { reviseSpeaker, type Speaker, type SpeakerChanges } from '../domain/speaker.js';
import { mayChangeSpeaker, mayRelinkSpeaker } from '../domain/speaker-policy.js';
import type { SpeakerScope } from '../ports/speaker-scope.js';
import { SpeakerMessageTypes, speakerChangedData } from './speaker-messages.js';
import { conflictsAsResults } from './conflicts.js';
import { normaliseSpeakerId } from './speaker-ids.js';

export interface UpdateSpeakerInput {
  readonly actor: Actor;
  readonly speakerId: string;
  /** The version the client last saw; the change is refused if the profile moved on since. */
  readonly expectedVersion: number;
  /** Absent fields stay as they are; `userId: null` unlinks the profile. */
  readonly changes: SpeakerChanges;
}

/**
 * PATCH /api/speakers/:id. Errors: SPEAKER.NOT_FOUND, SPEAKER.CHANGE_FORBIDDEN (neither admin,
 * creating organizer nor linked user), SPEAKER.LINK_FORBIDDEN (the linked user changing `userId`),
 * SPEAKER.STALE_VERSION, SPEAKER.INVALID, SPEAKER.USER_ALREADY_LINKED.
 * A change that leaves the profile as it was returns it unchanged: no new version, no message.
 * Otherwise publishes speaker.updated with the new version.
 */
export class UpdateSpeaker {
  constructor(
    private readonly uow: UnitOfWork<SpeakerScope>,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: UpdateSpeakerInput): Promise<Result<Speaker, DomainError>> {
    const id = normaliseSpeakerId(input.speakerId);
    if (id === null) return err(SpeakerErrors.notFound(input.speakerId));

    return conflictsAsResults(() =>
      this.uow.run(async ({ speakers, outbox }): Promise<Result<Speaker, DomainError>> => {
        const current = await speakers.findById(id);
        if (current === null) return err(SpeakerErrors.notFound(id));
        if (!mayChangeSpeaker(input.actor, current)) return err(SpeakerErrors.changeForbidden());
        if (current.version !== input.expectedVersion) return err(SpeakerErrors.stale(id));

        const revised = reviseSpeaker(current, input.changes, this.clock.now());
        if (!revised.ok) return revised;
        const { speaker, changed, userIdChanged } = revised.value;
        if (!changed) return ok(current);

        if (userIdChanged) {
          if (!mayRelinkSpeaker(input.actor, current)) return err(SpeakerErrors.linkForbidden());
          if (speaker.userId !== null && (await speakers.findByUserId(speaker.userId)) !== null) {
            return err(new UserAlreadyLinkedError(speaker.userId));
          }
        }

        await speakers.update(speaker, current.version);
        await outbox.add(this.messages.create(SpeakerMessageTypes.updated, speaker.id, speakerChangedData(speaker)));
        return ok(speaker);
      }),
    );
  }
}
