import { ok, type Actor, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { addSpeakerTo, type Session } from '../domain/session.js';
import type { SessionScope } from '../ports/session-scope.js';
import type { SpeakerDirectory } from '../ports/speaker-directory.js';
import { loadForChange, staleAsConflict } from './access.js';
import { checkSchedule } from './schedule-check.js';
import { sessionUpdated } from './session-messages.js';
import { verifySpeakers } from './speaker-check.js';

export interface AddSpeakerInput {
  readonly actor: Actor;
  readonly sessionId: string;
  readonly speakerId: string;
  /** Optional: when given, a different stored version is a conflict. */
  readonly expectedVersion?: number;
}

/**
 * POST /api/sessions/:id/speakers (owner or admin). The session is read first (to refuse early
 * without asking the speaker service), the speaker is checked with the speaker service, then the
 * unit of work re-reads the session and applies the addition to what is stored now.
 *
 * Errors: SESSION.NOT_FOUND, SESSION.FORBIDDEN, SESSION.STALE_VERSION,
 * SESSION.SPEAKER_ALREADY_IN_SESSION (409), SESSION.TOO_MANY_SPEAKERS (422),
 * SESSION.UNKNOWN_SPEAKER (422), SESSION.SPEAKER_DIRECTORY_UNAVAILABLE, SESSION.SPEAKER_DOUBLE_BOOKED.
 */
export class AddSpeaker {
  constructor(
    private readonly uow: UnitOfWork<SessionScope>,
    private readonly speakers: SpeakerDirectory,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: AddSpeakerInput): Promise<Result<Session, DomainError>> {
    const now = this.clock.now();
    const pathOf = () => 'speakerId';
    const current = await this.uow.run(({ sessions }) => loadForChange(sessions, input.actor, input.sessionId, input.expectedVersion));
    if (!current.ok) return current;
    const tried = addSpeakerTo(current.value, input.speakerId, now);
    if (!tried.ok) return tried;

    const known = await verifySpeakers(this.speakers, [input.speakerId], pathOf);
    if (!known.ok) return known;

    return staleAsConflict(() =>
      this.uow.run(async (scope) => {
        const fresh = await loadForChange(scope.sessions, input.actor, input.sessionId, input.expectedVersion);
        if (!fresh.ok) return fresh;
        const next = addSpeakerTo(fresh.value, input.speakerId, now);
        if (!next.ok) return next;
        const free = await checkSchedule(scope, next.value, pathOf);
        if (!free.ok) return free;
        await scope.sessions.update(next.value, fresh.value.version);
        await scope.outbox.add(sessionUpdated(this.messages, next.value));
        return ok(next.value);
      }),
    );
  }
}
