import { ok, type Actor, type Clock, type DomainError, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { addedSpeakers, reviseSession, type Session, type SessionChanges } from '../domain/session.js';
import type { SessionScope } from '../ports/session-scope.js';
import type { SpeakerDirectory } from '../ports/speaker-directory.js';
import { loadForChange, staleAsConflict } from './access.js';
import { checkSchedule } from './schedule-check.js';
import { sessionUpdated } from './session-messages.js';
import { indexPath, verifySpeakers } from './speaker-check.js';

export interface UpdateSessionInput {
  readonly actor: Actor;
  readonly sessionId: string;
  /** The version the client read; a different stored version is a conflict. */
  readonly expectedVersion: number;
  readonly changes: SessionChanges;
}

/**
 * PATCH /api/sessions/:id (owner or admin). Only speakers the change adds are checked with the
 * speaker service (the others were checked when they were added, and speaker.deleted detaches
 * deleted ones), before the writing unit of work. The new booking is checked against every other
 * session — never against its own old slot. A change that changes nothing writes and publishes
 * nothing and keeps the version.
 *
 * Errors: SESSION.NOT_FOUND, SESSION.FORBIDDEN, SESSION.STALE_VERSION (409), the validation
 * errors of the session, SESSION.UNKNOWN_SPEAKER (422), SESSION.SPEAKER_DIRECTORY_UNAVAILABLE,
 * SESSION.SPEAKER_DOUBLE_BOOKED / ROOM_DOUBLE_BOOKED (409).
 */
export class UpdateSession {
  constructor(
    private readonly uow: UnitOfWork<SessionScope>,
    private readonly speakers: SpeakerDirectory,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: UpdateSessionInput): Promise<Result<Session, DomainError>> {
    const { actor, sessionId, expectedVersion, changes } = input;
    const now = this.clock.now();
    const current = await this.uow.run(({ sessions }) => loadForChange(sessions, actor, sessionId, expectedVersion));
    if (!current.ok) return current;
    const revised = reviseSession(current.value, changes, now);
    if (!revised.ok) return revised;
    if (!revised.value.changed) return ok(current.value);
    const pathOf = indexPath(revised.value.session.speakerIds);

    const known = await verifySpeakers(this.speakers, addedSpeakers(current.value.speakerIds, revised.value.session.speakerIds), pathOf);
    if (!known.ok) return known;

    return staleAsConflict(() =>
      this.uow.run(async (scope) => {
        // Same id and version as the first read, hence the same stored session: `revised` still holds.
        const again = await loadForChange(scope.sessions, actor, sessionId, expectedVersion);
        if (!again.ok) return again;
        const next = revised.value.session;
        const free = await checkSchedule(scope, next, pathOf);
        if (!free.ok) return free;
        await scope.sessions.update(next, expectedVersion);
        await scope.outbox.add(sessionUpdated(this.messages, next));
        return ok(next);
      }),
    );
  }
}
