import * as t from 'io-ts';
import { Email, MAX_PAGE_SIZE, Uuid, boundedInt, boundedString, strictObject } from '@conference/kernel';
import { NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/user.js';

/**
 * Request bodies of /api/auth and /api/users (DESIGN §3), shared by the hosts and the OpenAPI
 * generator. Unknown fields are refused; strings are trimmed, passwords and tokens are not.
 */

/** A password: kept exactly as typed (spaces are part of it), length in characters (code points). */
export function passwordString(min: number, max: number): t.Type<string, string, unknown> {
  const length = (s: string) => [...s.normalize('NFKC')].length;
  return new t.Type<string, string, unknown>(
    `password(${min}..${max})`,
    (u): u is string => typeof u === 'string' && length(u) >= min && length(u) <= max,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, 'must be a string');
      if (length(u) < min) return t.failure(u, c, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
      if (length(u) > max) return t.failure(u, c, `must be at most ${max} characters`);
      return t.success(u);
    },
    t.identity,
  );
}

/** An opaque token from a client: not trimmed, bounded so a huge body cannot reach the hash. */
const OpaqueToken = new t.Type<string, string, unknown>(
  'RefreshToken',
  (u): u is string => typeof u === 'string' && u.length >= 1 && u.length <= 512,
  (u, c) => (typeof u === 'string' && u.length >= 1 && u.length <= 512 ? t.success(u) : t.failure(u, c, 'must be a refresh token')),
  t.identity,
);

export const RoleCodec = t.keyof({ attendee: null, organizer: null, admin: null }, 'Role');

const Name = boundedString(1, NAME_MAX_LENGTH);

/** `POST /api/auth/register` */
export const RegisterBody = strictObject(
  { email: Email, password: passwordString(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH), name: Name },
  undefined,
  'RegisterBody',
);
export type RegisterBody = t.TypeOf<typeof RegisterBody>;

/**
 * `POST /api/auth/login`. No minimum beyond non-empty: a wrong password is answered with
 * AUTH.INVALID_CREDENTIALS, not with a hint about the rules.
 */
export const LoginBody = strictObject({ email: Email, password: passwordString(1, PASSWORD_MAX_LENGTH) }, undefined, 'LoginBody');
export type LoginBody = t.TypeOf<typeof LoginBody>;

/** `POST /api/auth/refresh` */
export const RefreshBody = strictObject({ refreshToken: OpaqueToken }, undefined, 'RefreshBody');
export type RefreshBody = t.TypeOf<typeof RefreshBody>;

/** `POST /api/auth/logout` */
export const LogoutBody = strictObject({ refreshToken: OpaqueToken }, undefined, 'LogoutBody');
export type LogoutBody = t.TypeOf<typeof LogoutBody>;

/**
 * `PATCH /api/users/me`. `version` is the version the client last read; a host that takes it from
 * `If-Match` instead lets it be absent here and refuses a request that has neither (428).
 */
export const UpdateMeBody = strictObject({}, { name: Name, email: Email, version: boundedInt(1, Number.MAX_SAFE_INTEGER) }, 'UpdateMeBody');
export type UpdateMeBody = t.TypeOf<typeof UpdateMeBody>;

/** `PATCH /api/users/:id/role`; `version` optional: a role change is absolute, not an edit of what was read. */
export const ChangeRoleBody = strictObject({ role: RoleCodec }, { version: boundedInt(1, Number.MAX_SAFE_INTEGER) }, 'ChangeRoleBody');
export type ChangeRoleBody = t.TypeOf<typeof ChangeRoleBody>;

/** `POST /api/users/me/enrollments` */
// Annotated because the kernel does not export the brand behind Uuid, so the inferred type cannot be named.
export const EnrollmentRequestBody: t.Type<{ eventId: Uuid }, { eventId: string }, unknown> = strictObject(
  { eventId: Uuid },
  undefined,
  'EnrollmentRequestBody',
);
export type EnrollmentRequestBody = t.TypeOf<typeof EnrollmentRequestBody>;

/** A whole number in a query string (`?limit=20`). */
export function intFromString(min: number, max: number): t.Type<number, string, unknown> {
  return new t.Type<number, string, unknown>(
    `intFromString(${min}..${max})`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => {
      if (typeof u !== 'string' || !/^\d+$/.test(u)) return t.failure(u, c, 'must be a whole number');
      const n = Number(u);
      if (n < min || n > max) return t.failure(u, c, `must be between ${min} and ${max}`);
      return t.success(n);
    },
    String,
  );
}

/** `GET /api/users?limit=&cursor=&q=` (admin) */
export const ListUsersQuery = strictObject(
  {},
  { limit: intFromString(1, MAX_PAGE_SIZE), cursor: boundedString(1, 512), q: boundedString(0, NAME_MAX_LENGTH) },
  'ListUsersQuery',
);
export type ListUsersQuery = t.TypeOf<typeof ListUsersQuery>;
