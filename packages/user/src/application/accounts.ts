import { ok, type Clock, type DomainError, type IdGenerator, type MessageFactory, type Result, type Role } from '@conference/kernel';
import { checkEmail, checkName, checkNewPassword, createUser, type User } from '../domain/user.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UserScope } from '../ports/user-scope.js';
import { userMessage } from './messages.js';

/** What a new account is made of once its inputs passed the rules and its password was hashed. */
export interface AccountDraft {
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
}

/**
 * Checks the inputs of a new account and hashes its password. Hashing is slow on purpose, so
 * callers do this before their transaction: no row or connection waits on it.
 */
export async function draftAccount(hasher: PasswordHasher, input: { email: string; name: string; password: string }): Promise<Result<AccountDraft, DomainError>> {
  const email = checkEmail(input.email);
  if (!email.ok) return email;
  const name = checkName(input.name);
  if (!name.ok) return name;
  const password = checkNewPassword(input.password);
  if (!password.ok) return password;
  return ok({ email: email.value, name: name.value, passwordHash: await hasher.hash(password.value) });
}

/**
 * Stores the account and announces it with `user.registered`, in the caller's unit of work.
 * A concurrent registration of the same address makes insert throw USER.EMAIL_TAKEN (rolled back).
 */
export async function openAccount(
  { users, outbox }: Pick<UserScope, 'users' | 'outbox'>,
  draft: AccountDraft,
  role: Role,
  deps: { ids: IdGenerator; clock: Clock; messages: MessageFactory },
): Promise<Result<User, DomainError>> {
  const created = createUser({ id: deps.ids.next(), ...draft, role, now: deps.clock.now() });
  if (!created.ok) return created;
  const user = created.value;
  await users.insert(user);
  await outbox.add(userMessage(deps.messages, 'user.registered', user.id, { userId: user.id, email: user.email, name: user.name }));
  return created;
}
