import { ok, type Clock, type DomainError, type IdGenerator, type MessageFactory, type Result, type UnitOfWork } from '@conference/kernel';
import { changeRole, checkEmail, type User } from '../domain/user.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { UserScope } from '../ports/user-scope.js';
import { draftAccount, openAccount } from './accounts.js';
import { runAtomically } from './support.js';
import { toUserView, type UserView } from './views.js';

export interface EnsureAdminInput {
  readonly email: string;
  /** Used only when the account has to be created; an existing account keeps its password. */
  readonly password: string;
  readonly name: string;
}

export interface EnsureAdminOutput {
  readonly outcome: 'created' | 'promoted' | 'unchanged';
  readonly user: UserView;
}

/**
 * The first admin, from configuration, run by the host at start-up (on every instance, so it
 * must be idempotent and safe to race): creates the account with role admin (publishing
 * `user.registered`), or promotes the existing account with that email, or changes nothing.
 * Errors: USER.INVALID_EMAIL, USER.INVALID_NAME, USER.PASSWORD_TOO_SHORT/LONG (validation, only when creating).
 */
export class EnsureAdmin {
  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly messages: MessageFactory,
  ) {}

  async execute(input: EnsureAdminInput): Promise<Result<EnsureAdminOutput, DomainError>> {
    let result = await this.attempt(input);
    // Instances starting together race on the same row (EMAIL_TAKEN on insert, a stale version on
    // promotion); the loser's second look finds the winner's work done.
    if (!result.ok && result.error.kind === 'conflict') result = await this.attempt(input);
    return result;
  }

  private async attempt(input: EnsureAdminInput): Promise<Result<EnsureAdminOutput, DomainError>> {
    const email = checkEmail(input.email);
    if (!email.ok) return email;

    const existing = await runAtomically(this.uow, async ({ users }) => {
      const user = await users.findByEmail(email.value);
      return ok(user ? await this.promote(users, user) : null);
    });
    if (!existing.ok) return existing;
    if (existing.value) return ok(existing.value);

    const draft = await draftAccount(this.hasher, input);
    if (!draft.ok) return draft;

    return runAtomically(this.uow, async (scope) => {
      // Another instance may have created it while we were hashing.
      const raced = await scope.users.findByEmail(email.value);
      if (raced) return ok(await this.promote(scope.users, raced));
      const user = await openAccount(scope, draft.value, 'admin', { ids: this.ids, clock: this.clock, messages: this.messages });
      return user.ok ? ok<EnsureAdminOutput>({ outcome: 'created', user: toUserView(user.value) }) : user;
    });
  }

  private async promote(users: UserRepository, user: User): Promise<EnsureAdminOutput> {
    if (user.role === 'admin') return { outcome: 'unchanged', user: toUserView(user) };
    const promoted = changeRole(user, 'admin', this.clock.now());
    if (!promoted.ok) throw promoted.error; // 'admin' is a role: cannot fail
    await users.update(promoted.value, user.version);
    return { outcome: 'promoted', user: toUserView(promoted.value) };
  }
}
