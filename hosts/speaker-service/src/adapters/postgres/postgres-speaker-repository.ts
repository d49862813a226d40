import * as t from 'io-ts';
import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { StaleVersionError } from '@conference/kernel';
import { DbDate, dbNullable, rowSchema, translateConstraintErrors, asUuid, likeLiteral } from '@conference/adapters-postgres';
import { UserAlreadyLinkedError, type Speaker, type SpeakerListQuery, type SpeakerRepository } from '@conference/speaker';

/** The partial unique index on speakers.user_id (migrations/0001_speakers.sql). */
const USER_LINK_INDEX = 'speakers_user_id_unique';

const SpeakerRow = rowSchema(
  t.type({
    id: t.string,
    name: t.string,
    headline: t.string,
    bio: t.string,
    company: t.string,
    links: t.array(t.type({ label: t.string, url: t.string })),
    user_id: dbNullable(t.string),
    created_by: t.string,
    created_at: DbDate,
    updated_at: DbDate,
    version: t.number,
  }),
);
type SpeakerRow = t.TypeOf<typeof SpeakerRow>;

const selectSpeakers = sql.fragment`
  SELECT id, name, headline, bio, company, links, user_id, created_by, created_at, updated_at, version
  FROM speakers`;

/** The list order; the index speakers_list_order is on exactly this expression. */
const sortName = sql.fragment`(lower(name) COLLATE "C")`;

/** Only the two keys the domain knows go into the jsonb column (its CHECK refuses any other). */
const linksOf = (speaker: Speaker) => speaker.links.map((link) => ({ label: link.label, url: link.url }));

const toSpeaker = (row: SpeakerRow): Speaker => ({
  id: row.id,
  name: row.name,
  headline: row.headline,
  bio: row.bio,
  company: row.company,
  // Rebuilt field by field so the entity never carries keys the domain does not know.
  links: row.links.map((link) => ({ label: link.label, url: link.url })),
  userId: row.user_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/**
 * SpeakerRepository on the transaction connection of a PostgresUnitOfWork, so its writes commit or
 * roll back with the outbox rows of the same unit of work.
 *
 * A constraint violation aborts the PostgreSQL transaction: after UserAlreadyLinkedError the unit of
 * work can only be left (the use cases do, turning the conflict into a result after the rollback).
 */
export class PostgresSpeakerRepository implements SpeakerRepository {
  constructor(private readonly connection: CommonQueryMethods) {}

  async insert(speaker: Speaker): Promise<void> {
    // The unique index decides, also between concurrent transactions: the second waits for the
    // first to commit and then fails, where a read before the insert would see nothing in both.
    await translateConstraintErrors(
      () =>
        this.connection.query(sql.unsafe`
          INSERT INTO speakers (id, name, headline, bio, company, links, user_id, created_by, created_at, updated_at, version)
          VALUES (${speaker.id}, ${speaker.name}, ${speaker.headline}, ${speaker.bio}, ${speaker.company},
                  ${sql.jsonb(linksOf(speaker))}, ${speaker.userId}, ${speaker.createdBy},
                  ${sql.timestamp(speaker.createdAt)}, ${sql.timestamp(speaker.updatedAt)}, ${speaker.version})`),
      { [USER_LINK_INDEX]: () => new UserAlreadyLinkedError(speaker.userId!) },
    );
  }

  async findById(id: string): Promise<Speaker | null> {
    const uuid = asUuid(id);
    if (uuid === null) return null;
    const row = await this.connection.maybeOne(sql.type(SpeakerRow)`${selectSpeakers} WHERE id = ${uuid}`);
    return row === null ? null : toSpeaker(row);
  }

  async findByUserId(userId: string): Promise<Speaker | null> {
    const uuid = asUuid(userId);
    if (uuid === null) return null;
    // At most one row: the partial unique index on user_id.
    const row = await this.connection.maybeOne(sql.type(SpeakerRow)`${selectSpeakers} WHERE user_id = ${uuid}`);
    return row === null ? null : toSpeaker(row);
  }

  async findByIds(ids: readonly string[]): Promise<Speaker[]> {
    const wanted = [...new Set(ids.map(asUuid).filter((id): id is string => id !== null))];
    if (wanted.length === 0) return [];
    const rows = await this.connection.any(sql.type(SpeakerRow)`${selectSpeakers} WHERE id = ANY(${sql.array(wanted, 'uuid')})`);
    return rows.map(toSpeaker);
  }

  async update(speaker: Speaker, expectedVersion: number): Promise<void> {
    const id = asUuid(speaker.id);
    if (id === null) throw new StaleVersionError('speaker', speaker.id);
    // Check and write in one statement: under READ COMMITTED a concurrent writer of the same row
    // makes this one wait, then re-read the row, see the new version and update nothing.
    const result = await translateConstraintErrors(
      () =>
        this.connection.query(sql.unsafe`
          UPDATE speakers SET
            name = ${speaker.name}, headline = ${speaker.headline}, bio = ${speaker.bio}, company = ${speaker.company},
            links = ${sql.jsonb(linksOf(speaker))}, user_id = ${speaker.userId}, created_by = ${speaker.createdBy},
            created_at = ${sql.timestamp(speaker.createdAt)}, updated_at = ${sql.timestamp(speaker.updatedAt)},
            version = ${speaker.version}
          WHERE id = ${id} AND version = ${expectedVersion}`),
      { [USER_LINK_INDEX]: () => new UserAlreadyLinkedError(speaker.userId!) },
    );
    if (result.rowCount === 0) throw new StaleVersionError('speaker', speaker.id);
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    const uuid = asUuid(id);
    if (uuid === null) throw new StaleVersionError('speaker', id);
    const result = await this.connection.query(sql.unsafe`DELETE FROM speakers WHERE id = ${uuid} AND version = ${expectedVersion}`);
    if (result.rowCount === 0) throw new StaleVersionError('speaker', id);
  }

  async list(query: SpeakerListQuery): Promise<Speaker[]> {
    const limit = Math.max(Math.trunc(query.limit), 0);
    const q = query.q ?? '';
    // PostgreSQL text cannot hold U+0000, so no stored field contains it (and as a parameter it
    // would be an encoding error, not "no match").
    if (limit === 0 || q.includes('\u0000')) return [];
    const conditions: FragmentSqlToken[] = [];
    if (q !== '') {
      const pattern = `%${likeLiteral(q)}%`;
      conditions.push(sql.fragment`(name ILIKE ${pattern} ESCAPE '\\' OR company ILIKE ${pattern} ESCAPE '\\' OR headline ILIKE ${pattern} ESCAPE '\\')`);
    }
    if (query.after) {
      const afterId = asUuid(query.after.id);
      // Positions come from rows this adapter returned; anything else is a caller's bug.
      if (afterId === null) throw new TypeError(`speaker list position has an id that is not a UUID: ${JSON.stringify(query.after.id)}`);
      // The raw name is lowered here exactly as the rows are, under the same collation.
      conditions.push(sql.fragment`(${sortName}, id) > ((lower(${query.after.name}::text) COLLATE "C"), ${afterId}::uuid)`);
    }
    const where = conditions.length > 0 ? sql.fragment`WHERE ${sql.join(conditions, sql.fragment` AND `)}` : sql.fragment``;
    const rows = await this.connection.any(sql.type(SpeakerRow)`${selectSpeakers} ${where} ORDER BY ${sortName}, id LIMIT ${limit}`);
    return rows.map(toSpeaker);
  }
}

