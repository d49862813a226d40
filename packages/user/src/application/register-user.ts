import { err, ok, type Clock, type DomainError, type IdGenerator, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UserScope } from '../ports/user-scope.js';
import { draftAccount, openAccount } from './accounts.js';
import { runAtomically } from './support.js';
import { toUserView, type UserView } from './views.js';

export interface RegisterUserInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

/**
 * `POST /api/auth/register`: a new attendee account; publishes `user.registered`.
 * Errors: USER.INVALID_EMAIL, USER.INVALID_NAME, USER.PASSWORD_TOO_SHORT, USER.PASSWORD_TOO_LONG
 * (validation), USER.EMAIL_TAKEN (conflict, case-insensitive).
 */
export class RegisterUser {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: RegisterUserInput): Promise<Result<UserView, DomainError>> {
    const draft = await draftAccount(this.hasher, input);
    if (!draft.ok) return draft;
    return runAtomically(this.uow, async (scope) => {
      if (await scope.users.findByEmail(draft.value.email)) return err(UserErrors.emailTaken());
      const user = await openAccount(scope, draft.value, 'attendee', { ids: this.ids, clock: this.clock, messages: this.messages });
      return user.ok ? ok(toUserView(user.value)) : user;
    });
  }
}
