import { sql } from 'slonik';

/**
 * A trusted SQL text (a migration file, a statement Postgres itself quoted with format()) as a
 * query. slonik accepts only template literals, so we hand it the frozen shape of one.
 * Never pass text that contains client input.
 */
export const trustedSql = (text: string) =>
  sql.unsafe(Object.freeze(Object.assign([text], { raw: Object.freeze([text]) })) as unknown as TemplateStringsArray);
