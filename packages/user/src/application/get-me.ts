import { err, ok, type Actor, type DomainError, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import type { UserScope } from '../ports/user-scope.js';
import { toUserView, type UserView } from './views.js';

export interface GetMeInput {
  readonly actor: Actor;
}

/** `GET /api/users/me`. Errors: USER.NOT_FOUND when the token's account no longer exists. */
export class GetMe {
  constructor(private readonly uow: UnitOfWork<UserScope>) {}

  async execute(input: GetMeInput): Promise<Result<UserView, DomainError>> {
    const user = await this.uow.run(({ users }) => users.findById(input.actor.userId));
    return user ? ok(toUserView(user)) : err(UserErrors.notFound(input.actor.userId));
  }
}
