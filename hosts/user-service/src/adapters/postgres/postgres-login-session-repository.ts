import * as t from 'io-ts';
import { sql, type CommonQueryMethods } from 'slonik';
import { DbDate, dbNullable, rowSchema, translateConstraintErrors, asUuid, containsNul } from '@conference/adapters-postgres';
import { UserErrors, type LoginSession, type LoginSessionRepository, type RefreshTokenMatch } from '@conference/user';

/**
 * A session id, or a refresh-token hash (current or rotated out), already stored: each of these
 * constraints (migrations/0001_users_and_login_sessions.sql) means LOGIN_SESSION.DUPLICATE.
 */
const duplicates = {
  user_sessions_pkey: UserErrors.duplicateLoginSession,
  user_sessions_refresh_token_hash_unique: UserErrors.duplicateLoginSession,
  user_session_token_hashes_pkey: UserErrors.duplicateLoginSession,
};

const sessionColumns = {
  id: t.string,
  user_id: t.string,
  created_at: DbDate,
  last_used_at: DbDate,
  expires_at: DbDate,
  revoked_at: dbNullable(DbDate),
  user_agent: dbNullable(t.string),
  ip: dbNullable(t.string),
  refresh_token_hash: t.string,
  rotated_token_hashes: t.array(t.string),
  version: t.number,
};
const SessionRow = rowSchema(t.type(sessionColumns));
const MatchRow = rowSchema(t.type({ ...sessionColumns, current: t.boolean }));
type SessionRow = t.TypeOf<typeof SessionRow>;

const columns = sql.fragment`
  s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.revoked_at, s.user_agent, s.ip,
  s.refresh_token_hash, s.rotated_token_hashes, s.version`;

const toSession = (row: SessionRow): LoginSession => ({
  id: row.id,
  userId: row.user_id,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  userAgent: row.user_agent,
  ip: row.ip,
  refreshTokenHash: row.refresh_token_hash,
  rotatedTokenHashes: row.rotated_token_hashes,
  version: row.version,
});

/** Every hash the session answers to: its current one and the rotated-out ones it remembers. */
const hashesOf = (session: LoginSession): string[] => [session.refreshTokenHash, ...session.rotatedTokenHashes];

/**
 * LoginSessionRepository (the user_sessions table) on the transaction connection of a
 * PostgresUnitOfWork.
 *
 * Storage: the session row keeps every field, the rotated-out hashes as an ordered array (the domain
 * reads them back newest last); user_session_token_hashes holds one row per hash the session knows,
 * current and rotated out, so the primary key of that table keeps a hash to one session and a
 * refresh is one index look-up. The adapter keeps the two in step inside the unit of work.
 */
export class PostgresLoginSessionRepository implements LoginSessionRepository {
  constructor(private readonly connection: CommonQueryMethods) {}

  async insert(session: LoginSession): Promise<void> {
    await translateConstraintErrors(async () => {
      await this.connection.query(sql.unsafe`
        INSERT INTO user_sessions (id, user_id, created_at, last_used_at, expires_at, revoked_at, user_agent, ip,
                                   refresh_token_hash, rotated_token_hashes, version)
        VALUES (${session.id}, ${session.userId}, ${sql.timestamp(session.createdAt)}, ${sql.timestamp(session.lastUsedAt)},
                ${sql.timestamp(session.expiresAt)}, ${session.revokedAt === null ? null : sql.timestamp(session.revokedAt)},
                ${session.userAgent}, ${session.ip}, ${session.refreshTokenHash},
                ${sql.array([...session.rotatedTokenHashes], 'text')}, ${session.version})`);
      await this.connection.query(sql.unsafe`
        INSERT INTO user_session_token_hashes (token_hash, session_id)
        SELECT DISTINCT hash, ${session.id}::uuid FROM unnest(${sql.array(hashesOf(session), 'text')}) AS hash`);
    }, duplicates);
  }

  async findById(id: string): Promise<LoginSession | null> {
    const uuid = asUuid(id);
    if (uuid === null) return null;
    const row = await this.connection.maybeOne(sql.type(SessionRow)`SELECT ${columns} FROM user_sessions s WHERE s.id = ${uuid}`);
    return row === null ? null : toSession(row);
  }

  async findByRefreshTokenHash(hash: string): Promise<RefreshTokenMatch | null> {
    if (containsNul(hash)) return null;
    // One primary-key look-up in the hash index, one in the sessions: whether the hash is current or
    // rotated out, and whatever the session's state (the use case judges it).
    const row = await this.connection.maybeOne(sql.type(MatchRow)`
      SELECT ${columns}, s.refresh_token_hash = ${hash} AS current
      FROM user_session_token_hashes h
      JOIN user_sessions s ON s.id = h.session_id
      WHERE h.token_hash = ${hash}`);
    if (row === null) return null;
    return { session: toSession(row), current: row.current };
  }

  async update(session: LoginSession, expectedVersion: number): Promise<void> {
    const id = asUuid(session.id);
    if (id === null) throw UserErrors.staleLoginSession(session.id);
    const hashes = sql.array(hashesOf(session), 'text');
    await translateConstraintErrors(async () => {
      // Check and write in one statement: of two refreshes racing with one token, the second waits
      // for the first's row lock, then re-reads the row, sees the new version and updates nothing.
      const updated = await this.connection.query(sql.unsafe`
        UPDATE user_sessions SET
          user_id = ${session.userId}, created_at = ${sql.timestamp(session.createdAt)},
          last_used_at = ${sql.timestamp(session.lastUsedAt)}, expires_at = ${sql.timestamp(session.expiresAt)},
          revoked_at = ${session.revokedAt === null ? null : sql.timestamp(session.revokedAt)},
          user_agent = ${session.userAgent}, ip = ${session.ip},
          refresh_token_hash = ${session.refreshTokenHash},
          rotated_token_hashes = ${sql.array([...session.rotatedTokenHashes], 'text')},
          version = ${session.version}
        WHERE id = ${id} AND version = ${expectedVersion}`);
      if (updated.rowCount === 0) throw UserErrors.staleLoginSession(session.id);
      // The session row is locked now, so nobody else changes its hashes until commit. Forget the
      // hashes that fell out of the remembered ones (the domain keeps the most recent 100)...
      await this.connection.query(sql.unsafe`
        DELETE FROM user_session_token_hashes WHERE session_id = ${id} AND token_hash <> ALL (${hashes})`);
      // ...and index the new ones. A hash another session holds is inserted anyway, so the primary
      // key refuses it (LOGIN_SESSION.DUPLICATE) rather than it being skipped in silence.
      await this.connection.query(sql.unsafe`
        INSERT INTO user_session_token_hashes (token_hash, session_id)
        SELECT DISTINCT hash, ${id}::uuid FROM unnest(${hashes}) AS hash
        WHERE NOT EXISTS (SELECT 1 FROM user_session_token_hashes known WHERE known.token_hash = hash AND known.session_id = ${id})`);
    }, duplicates);
  }

  async listActiveByUser(userId: string, now: Date): Promise<readonly LoginSession[]> {
    const uuid = asUuid(userId);
    if (uuid === null) return [];
    const rows = await this.connection.any(sql.type(SessionRow)`
      SELECT ${columns} FROM user_sessions s
      WHERE s.user_id = ${uuid} AND s.revoked_at IS NULL AND s.expires_at > ${sql.timestamp(now)}
      ORDER BY s.last_used_at DESC, s.id`);
    return rows.map(toSession);
  }
}
