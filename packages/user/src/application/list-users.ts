import { DomainError, clampLimit, decodeCursor, encodeCursor, err, ok, type Actor, type Page, type Result, type UnitOfWork } from '@conference/kernel';
import type { User } from '../domain/user.js';
import type { UserListKey } from '../ports/user-repository.js';
import type { UserScope } from '../ports/user-scope.js';
import { requireAdmin } from './support.js';
import { toUserView, type UserView } from './views.js';

export interface ListUsersInput {
  readonly actor: Actor;
  /** Part of a name or email, any case. */
  readonly q?: string;
  readonly limit?: number;
  readonly cursor?: string | null;
}

const keyOf = (user: User) => [user.createdAt.toISOString(), user.id] as const;

function decodeUserCursor(cursor: string): Result<UserListKey, DomainError> {
  const decoded = decodeCursor(cursor, 2);
  if (!decoded.ok) return decoded;
  const [at, id] = decoded.value;
  const createdAt = new Date(typeof at === 'string' ? at : Number.NaN);
  // Opaque to clients, but a client can still hand back anything: both parts must be what we encode.
  if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string') {
    return err(DomainError.validation('PAGINATION.INVALID_CURSOR', 'cursor is not one this API issued', [{ path: 'cursor', message: 'invalid cursor' }]));
  }
  return ok({ createdAt, id });
}

/**
 * `GET /api/users` (admin): every account in sign-up order, keyset-paged, optionally filtered
 * by `q`. Errors: AUTH.ADMIN_REQUIRED (forbidden), PAGINATION.INVALID_CURSOR (validation).
 */
export class ListUsers {
  constructor(private readonly uow: UnitOfWork<UserScope>) {}

  async execute(input: ListUsersInput): Promise<Result<Page<UserView>, DomainError>> {
    const limit = clampLimit(input.limit);
    const q = input.q?.trim() || undefined;

    return this.uow.run(async ({ users }) => {
      const admin = await requireAdmin(users, input.actor);
      if (!admin.ok) return admin;
      let after: UserListKey | null = null;
      if (input.cursor) {
        const decoded = decodeUserCursor(input.cursor);
        if (!decoded.ok) return decoded;
        after = decoded.value;
      }
      // One more than asked tells whether a next page exists without counting.
      const found = await users.list({ q, limit: limit + 1, after });
      const items = found.slice(0, limit);
      const last = items[items.length - 1];
      return ok({ items: items.map(toUserView), nextCursor: found.length > limit && last ? encodeCursor(keyOf(last)) : null });
    });
  }
}
