import { Email, ROLES, err, ok, type DomainError, type Result, type Role } from '@conference/kernel';
import { UserErrors } from './errors.js';

/** An account. Plain data (structured-cloneable); the functions below are the only way to change it. */
export interface User {
  readonly id: string;
  /** As the person typed it (trimmed); uniqueness and look-up use `emailKey(email)`. */
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export const PASSWORD_MIN_LENGTH = 10;
/** A cap keeps a hashing request from becoming a denial of service; no one types more. */
export const PASSWORD_MAX_LENGTH = 256;
export const NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 254;

/**
 * The form of an address that uniqueness and look-ups compare. Lower-casing the whole address
 * (local part included) is stricter than RFC 5321 but is what people expect: `Ada@x.org` and
 * `ada@x.org` are one person. Adapters that store a normalized column must fill it with this.
 */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(email: string): Result<string, DomainError> {
  const trimmed = email.trim();
  if (trimmed.length > EMAIL_MAX_LENGTH || !Email.is(trimmed)) return err(UserErrors.invalidEmail());
  return ok(trimmed);
}

export function checkName(name: string): Result<string, DomainError> {
  const trimmed = name.trim();
  if (trimmed.length === 0) return err(UserErrors.invalidName('must not be empty'));
  if (trimmed.length > NAME_MAX_LENGTH) return err(UserErrors.invalidName(`must be at most ${NAME_MAX_LENGTH} characters`));
  return ok(trimmed);
}

/**
 * Passwords are normalized (NFKC, as NIST SP 800-63B advises) so the same password typed on two
 * keyboards hashes the same; length counts characters (code points), not UTF-16 units, and
 * whitespace is kept: it is part of the secret.
 */
export function normalizePassword(plain: string): string {
  return plain.normalize('NFKC');
}

/** A password acceptable for a new account, normalized, ready to hash. */
export function checkNewPassword(plain: string): Result<string, DomainError> {
  const normalized = normalizePassword(plain);
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_LENGTH) return err(UserErrors.passwordTooShort(PASSWORD_MIN_LENGTH));
  if (length > PASSWORD_MAX_LENGTH) return err(UserErrors.passwordTooLong(PASSWORD_MAX_LENGTH));
  return ok(normalized);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** Already hashed: the entity never sees the plain password. */
  readonly passwordHash: string;
  readonly role?: Role;
  readonly now: Date;
}

export function createUser(input: NewUser): Result<User, DomainError> {
  const email = checkEmail(input.email);
  if (!email.ok) return email;
  const name = checkName(input.name);
  if (!name.ok) return name;
  const role = input.role ?? 'attendee';
  if (!isRole(role)) return err(UserErrors.invalidRole(role));
  return ok({
    id: input.id,
    email: email.value,
    name: name.value,
    passwordHash: input.passwordHash,
    role,
    createdAt: input.now,
    updatedAt: input.now,
    version: 1,
  });
}

export interface ProfileChange {
  readonly name?: string;
  readonly email?: string;
}

/**
 * Applies a profile change. Returns the same object when nothing changes, so callers can skip
 * the write (and the version stays put); otherwise the version moves on by one.
 */
export function changeProfile(user: User, change: ProfileChange, now: Date): Result<User, DomainError> {
  let { name, email } = user;
  if (change.name !== undefined) {
    const checked = checkName(change.name);
    if (!checked.ok) return checked;
    name = checked.value;
  }
  if (change.email !== undefined) {
    const checked = checkEmail(change.email);
    if (!checked.ok) return checked;
    email = checked.value;
  }
  if (name === user.name && email === user.email) return ok(user);
  return ok({ ...user, name, email, updatedAt: now, version: user.version + 1 });
}

/** True when a profile change moves the account to another address (not merely another casing). */
export function changesEmailKey(before: User, after: User): boolean {
  return emailKey(before.email) !== emailKey(after.email);
}

export function changeRole(user: User, role: Role, now: Date): Result<User, DomainError> {
  if (!isRole(role)) return err(UserErrors.invalidRole(role));
  if (role === user.role) return ok(user);
  return ok({ ...user, role, updatedAt: now, version: user.version + 1 });
}
