import { err, ok, type Actor, type Clock, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import { changeProfile, changesEmailKey } from '../domain/user.js';
import type { UserScope } from '../ports/user-scope.js';
import { runAtomically } from './support.js';
import { toUserView, type UserView } from './views.js';

export interface UpdateMeInput {
  readonly actor: Actor;
  readonly name?: string;
  readonly email?: string;
  /** The version the client last read (body `version` or `If-Match`). */
  readonly expectedVersion: number;
}

/**
 * `PATCH /api/users/me`: changes the caller's name and/or email. A change of only the casing of
 * the email is allowed; another address must be free. Nothing to change answers the user as is.
 * Errors: USER.INVALID_NAME, USER.INVALID_EMAIL (validation), USER.EMAIL_TAKEN, USER.STALE_VERSION
 * (conflict), USER.NOT_FOUND.
 */
export class UpdateMe {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly clock: Clock,
  ) {}

  async execute(input: UpdateMeInput): Promise<Result<UserView, DomainError>> {
    return runAtomically(this.uow, async ({ users }) => {
      const user = await users.findById(input.actor.userId);
      if (!user) return err(UserErrors.notFound(input.actor.userId));
      if (user.version !== input.expectedVersion) return err(UserErrors.staleUser(user.id));

      const changed = changeProfile(user, { name: input.name, email: input.email }, this.clock.now());
      if (!changed.ok) return changed;
      if (changed.value === user) return ok(toUserView(user));

      if (changesEmailKey(user, changed.value)) {
        const owner = await users.findByEmail(changed.value.email);
        if (owner && owner.id !== user.id) return err(UserErrors.emailTaken());
      }
      await users.update(changed.value, user.version);
      return ok(toUserView(changed.value));
    });
  }
}
