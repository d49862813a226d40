import { err, isUuid, ok, type Actor, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import type { UserScope } from '../ports/user-scope.js';
import { requireAdmin } from './support.js';
import { toUserView, type UserView } from './views.js';

export interface GetUserInput {
  readonly actor: Actor;
  readonly userId: string;
}

/**
 * `GET /api/users/:id`: the user themselves or an admin. Authorization comes first, so a
 * non-admin cannot probe which ids exist.
 * Errors: AUTH.SELF_OR_ADMIN_REQUIRED (forbidden), USER.NOT_FOUND.
 */
export class GetUser {
  constructor(private readonly uow: UnitOfWork<UserScope>) {}

  async execute(input: GetUserInput): Promise<Result<UserView, DomainError>> {
    return this.uow.run(async ({ users }) => {
      if (input.actor.userId !== input.userId) {
        const admin = await requireAdmin(users, input.actor);
        if (!admin.ok) return err(UserErrors.selfOrAdminRequired());
      }
      const user = isUuid(input.userId) ? await users.findById(input.userId) : null;
      return user ? ok(toUserView(user)) : err(UserErrors.notFound(input.userId));
    });
  }
}
