import { expect } from 'chai';
import { splitStatements } from './split-statements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const script = `
      -- a comment; with a semicolon
      CREATE TABLE a (note text DEFAULT 'x;y', "we;ird" int);
      /* block; comment */
      CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
      INSERT INTO a (note) VALUES ('it''s; fine');
      SELECT $$;$$`;
    expect(splitStatements(script)).to.deep.equal([
      `-- a comment; with a semicolon\n      CREATE TABLE a (note text DEFAULT 'x;y', "we;ird" int)`,
      `/* block; comment */\n      CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql`,
      `INSERT INTO a (note) VALUES ('it''s; fine')`,
      'SELECT $$;$$',
    ]);
  });

  it('drops empty statements and trailing comments', () => {
    expect(splitStatements('SELECT 1;;\n-- done\n')).to.deep.equal(['SELECT 1']);
  });

  it('refuses unterminated quotes', () => {
    expect(() => splitStatements("SELECT 'oops")).to.throw(/unterminated/);
  });
});
