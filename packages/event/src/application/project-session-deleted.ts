import { DomainError, err, ok, type Result, type UnitOfWork } from '@conference/kernel';
import type { SessionDeletedData } from '@conference/messages';
import { advanceWatermark } from '../domain/programme.js';
import type { EventScope } from '../ports/event-scope.js';
import { normalizeId } from './access.js';
import { DUPLICATE, PROGRAMME_CONSUMER, type Handled } from './consumers.js';

export interface ProjectSessionDeletedInput {
  readonly messageId: string;
  readonly data: SessionDeletedData;
}

export type ProjectSessionDeletedOutput = Handled<{ readonly eventIds: readonly string[] }>;

/**
 * Consumes session.deleted: the session leaves every programme, whatever its version, and is
 * remembered as deleted so a late session.created/updated cannot bring it back.
 * Error (malformed message): EVENT.MALFORMED_SESSION_MESSAGE.
 */
export class ProjectSessionDeleted {
  constructor(private readonly uow: UnitOfWork<EventScope>) {}

  async execute({ messageId, data }: ProjectSessionDeletedInput): Promise<Result<ProjectSessionDeletedOutput, DomainError>> {
    const sessionId = normalizeId(data.sessionId);
    if (sessionId === null) return err(DomainError.validation('EVENT.MALFORMED_SESSION_MESSAGE', 'session message has a bad id'));
    return this.uow.run(async ({ inbox, programme }) => {
      if (!(await inbox.record(PROGRAMME_CONSUMER, messageId))) return ok(DUPLICATE);
      await programme.saveWatermark(advanceWatermark(await programme.watermark(sessionId), sessionId, data.version, true));
      const eventIds = await programme.removeSession(sessionId);
      return ok({ duplicate: false, eventIds });
    });
  }
}
