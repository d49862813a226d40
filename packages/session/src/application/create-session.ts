import { canOrganize, err, ok, type Actor, type Clock, type DomainError, type IdGenerator, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { cannotCreateSessions } from '../domain/errors.js';
import { createSession, type Session } from '../domain/session.js';
import type { SessionScope } from '../ports/session-scope.js';
import type { SpeakerDirectory } from '../ports/speaker-directory.js';
import { checkSchedule } from './schedule-check.js';
import { sessionCreated } from './session-messages.js';
import { indexPath, verifySpeakers } from './speaker-check.js';

export interface CreateSessionInput {
  readonly actor: Actor;
  /** null or absent: a stand-alone session. The event is not checked here: the event service owns events. */
  readonly eventId?: string | null;
  readonly title: string;
  readonly abstract: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly room: string;
  readonly speakerIds: readonly string[];
}

/**
 * POST /api/sessions (organizers and admins). The speakers are checked with the speaker service
 * before the unit of work opens, so no transaction or lock is held across a network call; the
 * booking is then checked and written, with session.created, in one unit of work.
 *
 * Errors: SESSION.FORBIDDEN, SESSION.INVALID / ENDS_BEFORE_START / TOO_LONG (validation),
 * SESSION.UNKNOWN_SPEAKER (422), SESSION.SPEAKER_DIRECTORY_UNAVAILABLE (503),
 * SESSION.SPEAKER_DOUBLE_BOOKED / ROOM_DOUBLE_BOOKED (409).
 */
export class CreateSession {
  constructor(
    private readonly uow: UnitOfWork<SessionScope>,
    private readonly speakers: SpeakerDirectory,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: CreateSessionInput): Promise<Result<Session, DomainError>> {
    if (!canOrganize(input.actor)) return err(cannotCreateSessions());
    const created = createSession({
      id: this.ids.next(),
      ownerId: input.actor.userId,
      now: this.clock.now(),
      eventId: input.eventId ?? null,
      title: input.title,
      abstract: input.abstract,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      room: input.room,
      speakerIds: input.speakerIds,
    });
    if (!created.ok) return created;
    const session = created.value;
    const pathOf = indexPath(session.speakerIds);

    const known = await verifySpeakers(this.speakers, session.speakerIds, pathOf);
    if (!known.ok) return known;

    return this.uow.run(async (scope) => {
      const free = await checkSchedule(scope, session, pathOf);
      if (!free.ok) return free;
      await scope.sessions.insert(session);
      await scope.outbox.add(sessionCreated(this.messages, session));
      return ok(session);
    });
  }
}
