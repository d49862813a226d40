/**
 * Splits a SQL script into statements at top-level semicolons, skipping those inside quotes,
 * quoted identifiers, dollar-quoted bodies and comments. slonik sends one statement per query,
 * while migration files hold several.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const push = () => {
    const statement = current.trim();
    if (statement && !/^(--[^\n]*\n?|\s|\/\*[\s\S]*?\*\/)*$/.test(statement)) statements.push(statement);
    current = '';
  };
  while (i < script.length) {
    const rest = script.slice(i);
    const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest);
    let end: number;
    if (rest.startsWith('--')) {
      end = script.indexOf('\n', i);
      end = end === -1 ? script.length : end + 1;
    } else if (rest.startsWith('/*')) {
      end = script.indexOf('*/', i + 2);
      if (end === -1) throw new Error('unterminated /* comment in SQL script');
      end += 2;
    } else if (rest[0] === "'" || rest[0] === '"') {
      const quote = rest[0];
      end = i + 1;
      for (;;) {
        end = script.indexOf(quote, end);
        if (end === -1) throw new Error(`unterminated ${quote} in SQL script`);
        if (script[end + 1] === quote) end += 2; // doubled quote is an escaped quote
        else break;
      }
      end += 1;
    } else if (dollar) {
      const tag = dollar[0];
      end = script.indexOf(tag, i + tag.length);
      if (end === -1) throw new Error(`unterminated ${tag} body in SQL script`);
      end += tag.length;
    } else if (rest[0] === ';') {
      push();
      i += 1;
      continue;
    } else {
      end = i + 1;
    }
    current += script.slice(i, end);
    i = end;
  }
  push();
  return statements;
}
