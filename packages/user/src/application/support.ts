import { DomainError, err, ok, type Actor, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import type { User } from '../domain/user.js';
import type { UserRepository } from '../ports/user-repository.js';

/**
 * Runs work in a unit of work and turns the conflicts repositories throw (duplicate email, stale
 * version, duplicate session) into results; the throw has already rolled the work back. Anything
 * else thrown is a bug and keeps propagating. An `err` returned by the work commits what the work
 * wrote before it: use cases check before writing unless the write is the point (theft detection).
 */
export async function runAtomically<Scope, T>(
  uow: UnitOfWork<Scope>,
  work: (scope: Scope) => Promise<Result<T, DomainError>>,
): Promise<Result<T, DomainError>> {
  try {
    return await uow.run(work);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'conflict') return err(error);
    throw error;
  }
}

/**
 * The actor's account as stored now. The role in an access token may be up to its lifetime old;
 * the user service owns the truth, so decisions it makes about roles use the stored one.
 */
export async function currentAccount(users: UserRepository, actor: Actor): Promise<Result<User, DomainError>> {
  const user = await users.findById(actor.userId);
  return user ? ok(user) : err(UserErrors.unknownActor());
}

/**
 * The actor's account, if it is an admin's now. The stored role decides, not the token's: a
 * demoted admin's unexpired token stops working at once, a promotion works before the next refresh.
 */
export async function requireAdmin(users: UserRepository, actor: Actor): Promise<Result<User, DomainError>> {
  const account = await currentAccount(users, actor);
  if (!account.ok) return account;
  return account.value.role === 'admin' ? account : err(UserErrors.adminRequired());
}
