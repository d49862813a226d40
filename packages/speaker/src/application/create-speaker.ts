import { canOrganize, err, ok, type Actor, type Clock, type DomainError, type IdGenerator, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { SpeakerErrors, UserAlreadyLinkedError } from '../domain/errors.js';
import { createSpeaker, type Speaker } from '../domain/speaker.js';
import { mayCreateSpeaker } from '../domain/speaker-policy.js';
import type { SpeakerLink } from '../domain/speaker-profile.js';
import type { SpeakerScope } from '../ports/speaker-scope.js';
import { SpeakerMessageTypes, speakerChangedData } from './speaker-messages.js';
import { conflictsAsResults } from './conflicts.js';

export interface CreateSpeakerInput {
  readonly actor: Actor;
  readonly name: string;
  readonly headline?: string;
  readonly bio?: string;
  readonly company?: string;
  readonly links?: readonly SpeakerLink[];
  /**
   * The account the profile belongs to. Absent: the actor's own account when the actor is neither
   * organizer nor admin (the only profile they may create), otherwise no account. `null`: none.
   */
  readonly userId?: string | null;
}

/**
 * POST /api/speakers. Errors: SPEAKER.CREATE_FORBIDDEN (an attendee creating a profile that is not
 * their own), SPEAKER.INVALID (a broken field rule, with issues), SPEAKER.USER_ALREADY_LINKED.
 * Publishes speaker.created in the same unit of work.
 */
export class CreateSpeaker {
  constructor(
    private readonly uow: UnitOfWork<SpeakerScope>,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: CreateSpeakerInput): Promise<Result<Speaker, DomainError>> {
    const { actor } = input;
    const userId = input.userId !== undefined ? input.userId : canOrganize(actor) ? null : actor.userId;
    if (!mayCreateSpeaker(actor, userId)) return err(SpeakerErrors.createForbidden());

    const created = createSpeaker({
      id: this.ids.next(),
      profile: {
        name: input.name,
        headline: input.headline ?? '',
        bio: input.bio ?? '',
        company: input.company ?? '',
        links: input.links ?? [],
        userId,
      },
      createdBy: actor.userId,
      now: this.clock.now(),
    });
    if (!created.ok) return created;
    const speaker = created.value;

    return conflictsAsResults(() =>
      this.uow.run(async ({ speakers, outbox }) => {
        if (speaker.userId !== null && (await speakers.findByUserId(speaker.userId)) !== null) {
          return err(new UserAlreadyLinkedError(speaker.userId));
        }
        await speakers.insert(speaker);
        await outbox.add(this.messages.create(SpeakerMessageTypes.created, speaker.id, speakerChangedData(speaker)));
        return ok(speaker);
      }),
    );
  }
}
