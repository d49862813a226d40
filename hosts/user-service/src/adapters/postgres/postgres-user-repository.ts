import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import type { Role } from '@conference/kernel';
import { DbDate, rowSchema, translateConstraintErrors, asUuid, containsNul, likeLiteral } from '@conference/adapters-postgres';
import { UserErrors, emailKey, type User, type UserListQuery, type UserRepository } from '@conference/user';

/** The unique constraint on users.email_key (migrations/0001_users_and_login_sessions.sql). */
const EMAIL_KEY_UNIQUE = 'users_email_key_unique';
const emailTaken = { [EMAIL_KEY_UNIQUE]: UserErrors.emailTaken };

const UserRow = rowSchema(
  t.type({
    id: t.string,
    email: t.string,
    name: t.string,
    password_hash: t.string,
    role: t.keyof({ attendee: null, organizer: null, admin: null }),
    created_at: DbDate,
    updated_at: DbDate,
    version: t.number,
  }),
);
type UserRow = t.TypeOf<typeof UserRow>;

const CountRow = rowSchema(t.type({ count: t.number }));

const selectUsers = sql.fragment`
  SELECT id, email, name, password_hash, role, created_at, updated_at, version
  FROM users`;

// Rebuilt field by field, so the entity never carries a column the domain does not know (email_key).
const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  passwordHash: row.password_hash,
  role: row.role,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/**
 * UserRepository on the transaction connection of a PostgresUnitOfWork, so its writes commit or roll
 * back with the outbox rows of the same unit of work.
 *
 * A constraint violation aborts the PostgreSQL transaction: after USER.EMAIL_TAKEN the unit of work
 * can only be left (the use cases do: runAtomically turns the conflict into a result after the rollback).
 */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly connection: CommonQueryMethods) {}

  async insert(user: User): Promise<void> {
    // The unique index decides, also between concurrent registrations: the second insert waits for
    // the first transaction to commit and then fails, where a read before the insert sees nothing in both.
    // A duplicate id is not translated: the port calls it a bug, so it stays a loud driver error.
    await translateConstraintErrors(
      () =>
        this.connection.query(sql.unsafe`
          INSERT INTO users (id, email, email_key, name, password_hash, role, created_at, updated_at, version)
          VALUES (${user.id}, ${user.email}, ${emailKey(user.email)}, ${user.name}, ${user.passwordHash}, ${user.role},
                  ${sql.timestamp(user.createdAt)}, ${sql.timestamp(user.updatedAt)}, ${user.version})`),
      emailTaken,
    );
  }

  async findById(id: string): Promise<User | null> {
    const uuid = asUuid(id);
    if (uuid === null) return null;
    const row = await this.connection.maybeOne(sql.type(UserRow)`${selectUsers} WHERE id = ${uuid}`);
    return row === null ? null : toUser(row);
  }

  async findByEmail(email: string): Promise<User | null> {
    const key = emailKey(email);
    // PostgreSQL text cannot hold U+0000, so no stored key contains it (as a parameter it would be an
    // encoding error, not "nobody").
    if (containsNul(key)) return null;
    const row = await this.connection.maybeOne(sql.type(UserRow)`${selectUsers} WHERE email_key = ${key}`);
    return row === null ? null : toUser(row);
  }

  async update(user: User, expectedVersion: number): Promise<void> {
    const id = asUuid(user.id);
    if (id === null) throw UserErrors.staleUser(user.id);
    // Check and write in one statement: under READ COMMITTED a concurrent writer of the same row makes
    // this one wait, then re-read the row, see the new version and update nothing.
    const result = await translateConstraintErrors(
      () =>
        this.connection.query(sql.unsafe`
          UPDATE users SET
            email = ${user.email}, email_key = ${emailKey(user.email)}, name = ${user.name},
            password_hash = ${user.passwordHash}, role = ${user.role},
            created_at = ${sql.timestamp(user.createdAt)}, updated_at = ${sql.timestamp(user.updatedAt)},
            version = ${user.version}
          WHERE id = ${id} AND version = ${expectedVersion}`),
      emailTaken,
    );
    if (result.rowCount === 0) throw UserErrors.staleUser(user.id);
  }

  async list(query: UserListQuery): Promise<readonly User[]> {
    const limit = Math.max(Math.trunc(query.limit), 0);
    const q = query.q ?? '';
    if (limit === 0 || containsNul(q)) return [];
    const conditions = [];
    if (q !== '') {
      // ILIKE with an explicit escape character, and q's own %, _ and \ escaped: a literal substring.
      const pattern = `%${likeLiteral(q)}%`;
      conditions.push(sql.fragment`(name ILIKE ${pattern} ESCAPE '\\' OR email ILIKE ${pattern} ESCAPE '\\')`);
    }
    if (query.after) {
      const afterId = asUuid(query.after.id);
      // Positions come from rows this adapter returned; anything else is a caller's bug.
      if (afterId === null) throw new TypeError(`user list position has an id that is not a UUID: ${JSON.stringify(query.after.id)}`);
      // uuid order is byte order, which for the lower-case text the domain holds is JavaScript's string order.
      conditions.push(sql.fragment`(created_at, id) > (${sql.timestamp(query.after.createdAt)}, ${afterId}::uuid)`);
    }
    const where = conditions.length > 0 ? sql.fragment`WHERE ${sql.join(conditions, sql.fragment` AND `)}` : sql.fragment``;
    const rows = await this.connection.any(sql.type(UserRow)`${selectUsers} ${where} ORDER BY created_at, id LIMIT ${limit}`);
    return rows.map(toUser);
  }

  async countByRole(role: Role): Promise<number> {
    // The port's promise: the count stays true until commit. Locking the counted rows does it: a
    // concurrent demotion of one of them waits for this transaction, and this one, had it come
    // second, waits for the other and then re-checks each locked row (READ COMMITTED), so a row
    // that was demoted meanwhile drops out of the count. Rows are locked in id order, so two
    // transactions counting the same role queue instead of deadlocking. (Under REPEATABLE READ the
    // later one would fail with a serialization error, which the unit of work retries.)
    // Counting a big role (attendees) would lock every one of its rows; the use cases count admins only.
    const row = await this.connection.one(sql.type(CountRow)`
      SELECT count(*) AS count FROM (SELECT id FROM users WHERE role = ${role} ORDER BY id FOR UPDATE) AS counted`);
    return row.count;
  }
}
