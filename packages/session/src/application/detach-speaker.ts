import { isUuid, ok, unwrap, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import type { SpeakerDeletedData } from '@conference/messages';
import { speakerLockKey } from '../domain/schedule.js';
import { removeSpeakerFrom } from '../domain/session.js';
import type { SessionScope } from '../ports/session-scope.js';
import { sessionUpdated } from './session-messages.js';

/** The inbox consumer name, also the queue's name (`<service>.<purpose>`, DESIGN §4). */
export const SPEAKER_DELETED_CONSUMER = 'session.speaker-deleted';

export interface DetachSpeakerInput {
  readonly messageId: string;
  readonly data: SpeakerDeletedData;
}

export interface DetachSpeakerOutput {
  /** True when this message id was already handled: nothing was done. */
  readonly duplicate: boolean;
  /** The sessions the speaker was removed from (each got a new version and a session.updated). */
  readonly sessionIds: string[];
}

/**
 * Consumes speaker.deleted: removes the speaker from every session, each change with its own
 * version bump and session.updated, all in one unit of work with the inbox record — so either
 * every session is detached and the message is marked done, or nothing is and a redelivery
 * tries again. A concurrent edit of one of the sessions makes the repository throw
 * StaleVersionError; it is thrown on, so the message is retried (not acknowledged).
 */
export class DetachSpeaker {
  constructor(
    private readonly uow: UnitOfWork<SessionScope>,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: DetachSpeakerInput): Promise<Result<DetachSpeakerOutput, DomainError>> {
    const now = this.clock.now();
    return this.uow.run(async (scope) => {
      if (!(await scope.inbox.record(SPEAKER_DELETED_CONSUMER, input.messageId))) return ok({ duplicate: true, sessionIds: [] });
      // No session can hold an id that is not a UUID; recording the message is all there is to do.
      if (!isUuid(input.data.speakerId)) return ok({ duplicate: false, sessionIds: [] });
      const speakerId = input.data.speakerId.toLowerCase();
      // Serializes with a booking of this speaker that is committing right now, so it is seen below.
      await scope.locks.acquire([speakerLockKey(speakerId)]);
      const sessions = await scope.sessions.findBySpeaker(speakerId);
      for (const session of sessions) {
        // The speaker is in the session (that is how it was found), so removal cannot fail.
        const next = unwrap(removeSpeakerFrom(session, speakerId, now));
        await scope.sessions.update(next, session.version);
        await scope.outbox.add(sessionUpdated(this.messages, next));
      }
      return ok({ duplicate: false, sessionIds: sessions.map((s) => s.id) });
    });
  }
}
