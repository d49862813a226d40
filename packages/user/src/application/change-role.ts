import { err, isUuid, ok, type Actor, type Clock, type DomainError, type Result, type Role, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import { changeRole } from '../domain/user.js';
import type { UserScope } from '../ports/user-scope.js';
import { requireAdmin, runAtomically } from './support.js';
import { toUserView, type UserView } from './views.js';

export interface ChangeRoleInput {
  readonly actor: Actor;
  readonly userId: string;
  readonly role: Role;
  /** When given, the change applies only to this version of the user. */
  readonly expectedVersion?: number;
}

/**
 * `PATCH /api/users/:id/role` (admin). Giving the role a user already has changes nothing.
 * The platform never ends up without an admin: demoting the last one (oneself included) is refused.
 * The new role reaches the user's access token at their next refresh; the user service itself
 * checks stored roles, so a demoted admin loses admin rights here at once.
 * Errors: AUTH.ADMIN_REQUIRED (forbidden), USER.NOT_FOUND, USER.INVALID_ROLE (validation),
 * USER.LAST_ADMIN, USER.STALE_VERSION (conflict).
 */
export class ChangeRole {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly clock: Clock,
  ) {}

  async execute(input: ChangeRoleInput): Promise<Result<UserView, DomainError>> {
    return runAtomically(this.uow, async ({ users }) => {
      const admin = await requireAdmin(users, input.actor);
      if (!admin.ok) return admin;
      const user = isUuid(input.userId) ? await users.findById(input.userId) : null;
      if (!user) return err(UserErrors.notFound(input.userId));
      if (input.expectedVersion !== undefined && input.expectedVersion !== user.version) return err(UserErrors.staleUser(user.id));

      const changed = changeRole(user, input.role, this.clock.now());
      if (!changed.ok) return changed;
      if (changed.value === user) return ok(toUserView(user));
      // countByRole holds its rows until commit (see the port), so two concurrent demotions cannot both pass.
      if (user.role === 'admin' && (await users.countByRole('admin')) <= 1) return err(UserErrors.lastAdmin());

      await users.update(changed.value, user.version);
      return ok(toUserView(changed.value));
    });
  }
}
