import { Readable } from 'node:stream';
import { types, type PGlite, type Results } from '@electric-sql/pglite';
import { createDriverFactory, type DriverFactory, type DriverQueryResult, type DriverTypeParser } from '@slonik/driver';
import {
  BackendTerminatedError,
  CheckExclusionConstraintViolationError,
  CheckIntegrityConstraintViolationError,
  ConnectionError,
  ForeignKeyIntegrityConstraintViolationError,
  InputSyntaxError,
  InvalidInputError,
  NotNullIntegrityConstraintViolationError,
  StatementCancelledError,
  StatementTimeoutError,
  UniqueIntegrityConstraintViolationError,
  type DriverCommand,
} from 'slonik';

/**
 * The one database session of a PGlite instance, handed to one slonik connection at a time.
 *
 * PGlite is a single backend: every statement of every caller runs in the same session. Two slonik
 * connections sharing it naively would interleave — a query of request B landing inside the open
 * transaction of request A, seeing its uncommitted rows and being rolled back with it. So a slonik
 * connection holds the session from the moment the pool hands it out until it is given back
 * (`pool.transaction`, `pool.connect`, or the single statement of `pool.query`), and every other
 * connection waits its turn in FIFO order. That is what one PostgreSQL backend per connection gives
 * for free, minus concurrency.
 */
class SessionLock {
  private held = false;
  private readonly waiters: Array<{ grant: () => void }> = [];

  /** Resolves with the release function once the session is ours; rejects after `timeoutMs` of waiting. */
  acquire(timeoutMs: number): Promise<() => void> {
    const release = this.releaser();
    if (!this.held) {
      this.held = true;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(release);
        },
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new ConnectionError(`the embedded database session stayed busy for ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.waiters.push(waiter);
    });
  }

  get queued(): number {
    return this.waiters.length;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant();
      else this.held = false;
    };
  }
}

const locks = new WeakMap<PGlite, SessionLock>();
const lockOf = (db: PGlite): SessionLock => {
  let lock = locks.get(db);
  if (!lock) {
    lock = new SessionLock();
    locks.set(db, lock);
  }
  return lock;
};

/** How many slonik connections are waiting for the session of `db` (for tests and diagnostics). */
export const sessionQueueLength = (db: PGlite): number => lockOf(db).queued;

export interface PGliteDriverOptions {
  /**
   * How long a connection may wait for the session before its query fails with slonik's
   * ConnectionError (which the hosts' units of work turn into a 503). Default 30 s.
   */
  readonly sessionWaitTimeoutMs?: number;
}

/**
 * A parameter as node-postgres would send it (its `prepareValue`), so the SQL slonik builds means
 * the same on PGlite: arrays as array literals, objects as JSON, Buffers as bytea hex. PGlite is
 * then told to pass the text through untouched (see `asIs`), instead of re-serialising it by the
 * parameter's type (which would JSON-encode a jsonb string a second time).
 */
function prepareValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as number | bigint | boolean);
}

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    const text = prepareValue(item)!;
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** Every parameter type's serializer: the identity, since prepareValue already made the text. */
const asIs = new Proxy({} as Record<number, (value: unknown) => string>, { get: () => (value: unknown) => value as string });

type PgliteError = Error & { code?: string; constraint?: string; table?: string; column?: string; detail?: string };

/** PGlite's DatabaseError → the slonik error the pg driver would raise for the same SQLSTATE. */
function wrapError(error: unknown, query: { sql: string; values: readonly unknown[] }): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const e = error as PgliteError;
  // slonik's constructors read constraint/table/column/detail off the error, as from pg's.
  const source = e as unknown as ConstructorParameters<typeof UniqueIntegrityConstraintViolationError>[0];
  switch (e.code) {
    case '22P02':
      return new InvalidInputError(e.message);
    case '57P01':
      return new BackendTerminatedError(source);
    case '57014':
      return e.message.includes('canceling statement due to user request') ? new StatementCancelledError(source) : new StatementTimeoutError(source);
    case '23502':
      return new NotNullIntegrityConstraintViolationError(source);
    case '23503':
      return new ForeignKeyIntegrityConstraintViolationError(source);
    case '23505':
      return new UniqueIntegrityConstraintViolationError(source);
    case '23P01':
      return new CheckExclusionConstraintViolationError(source);
    case '23514':
      return new CheckIntegrityConstraintViolationError(source);
    case '42601':
      return new InputSyntaxError(source, { sql: query.sql, values: [...query.values] as never });
    default:
      return e;
  }
}

/** Statements that open and close a transaction block, as slonik sends them. */
const OPENS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const CLOSES = /^\s*(COMMIT|END|ROLLBACK|ABORT)\b(?!\s+TO\b)/i;

const COMMANDS: ReadonlySet<string> = new Set(['COPY', 'DELETE', 'INSERT', 'SELECT', 'UPDATE']);

/** Parsers by type oid for the configured type names, and their array types, like the pg driver builds. */
async function typeParsersOf(db: PGlite, typeParsers: readonly DriverTypeParser[]): Promise<Record<number, (value: string) => unknown>> {
  const found = await db.query<{ oid: number; typarray: number; typname: string }>(
    'SELECT oid::int4 AS oid, typarray::int4 AS typarray, typname FROM pg_type WHERE typname = ANY($1::text[])',
    [arrayLiteral(typeParsers.map((parser) => parser.name))],
    { serializers: asIs },
  );
  const parsers: Record<number, (value: string) => unknown> = {};
  for (const parser of typeParsers) {
    const type = found.rows.find((row) => row.typname === parser.name);
    if (!type) throw new Error(`Database type "${parser.name}" not found.`);
    parsers[type.oid] = (value) => parser.parse(value);
    if (type.typarray) parsers[type.typarray] = (value) => types.arrayParser(value, (item) => parser.parse(item), type.typarray);
  }
  return parsers;
}

/**
 * A slonik driver whose every connection runs on `db`, in this process: no socket, no server.
 *
 * Guarantees: results look like the pg driver's (rows, fields with type oids, command, rowCount);
 * the pool's type parsers apply (scalars and arrays); SQLSTATEs become the same slonik errors, with
 * the constraint name, so adapters that translate by constraint work unchanged; one connection at a
 * time holds the session (see SessionLock), and a connection given back or destroyed inside an
 * open transaction has it rolled back before the next one gets the session.
 *
 * Limits: no concurrency (statements of different connections run one after another); statement
 * and idle-in-transaction timeouts are not enforced (PGlite has no timer interrupts) — a bounded
 * wait for the session stands in for them; LISTEN/NOTIFY and COPY are not supported; a connection
 * that uses a second pool connection while holding the first waits for itself and fails after
 * `sessionWaitTimeoutMs`.
 */
export function createPGliteDriverFactory(db: PGlite, options: PGliteDriverOptions = {}): DriverFactory {
  const lock = lockOf(db);
  const waitMs = options.sessionWaitTimeoutMs ?? 30_000;
  return createDriverFactory(async ({ driverConfiguration }) => {
    const parsers = await typeParsersOf(db, driverConfiguration.typeParsers);
    return {
      createPoolClient: async ({ clientEventEmitter }) => {
        let lease: Promise<() => void> | null = null;
        let inTransaction = false;

        const run = async (sql: string, values: readonly unknown[] = []): Promise<Results<Record<string, unknown>>> => {
          const result = await db.query<Record<string, unknown>>(sql, values.map(prepareValue), {
            parsers,
            serializers: asIs,
            onNotice: (notice) => {
              if (notice.message) clientEventEmitter.emit('notice', { message: notice.message });
            },
          });
          return result;
        };

        /** Gives the session back, first ending a transaction this connection left open. */
        const giveBack = async (): Promise<void> => {
          const held = lease;
          lease = null;
          if (!held) return;
          let release: (() => void) | undefined;
          try {
            release = await held;
          } catch {
            return; // never got the session: nothing to give back
          }
          try {
            if (inTransaction) await db.query('ROLLBACK').catch(() => undefined);
          } finally {
            inTransaction = false;
            release();
          }
        };

        clientEventEmitter.on('acquire', () => {
          lease = lock.acquire(waitMs);
          // The rejection is reported by the first query; this keeps it from being "unhandled" meanwhile.
          lease.catch(() => undefined);
        });
        clientEventEmitter.on('release', () => void giveBack());

        const query = async (sql: string, values: readonly unknown[] = []): Promise<DriverQueryResult> => {
          if (!lease) throw new ConnectionError('embedded database connection used without being acquired from the pool');
          await lease;
          if (OPENS.test(sql)) inTransaction = true;
          let result: Results<Record<string, unknown>>;
          try {
            result = await run(sql, values);
          } catch (error) {
            throw wrapError(error, { sql, values });
          } finally {
            // A COMMIT that fails still ends the block in PostgreSQL.
            if (CLOSES.test(sql)) inTransaction = false;
          }
          const command = (result.command ?? 'SELECT').toUpperCase();
          return {
            command: (COMMANDS.has(command) ? command : 'SELECT') as DriverCommand,
            fields: result.fields.map((field) => ({ name: field.name, dataTypeId: field.dataTypeID })),
            rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
            rows: result.rows,
          };
        };

        return {
          connect: async () => undefined,
          end: giveBack,
          query,
          stream: (sql, values) => {
            // PGlite has no cursors over the wire protocol here: the rows are read at once and replayed.
            const rows = (async function* () {
              const result = await query(sql, values);
              for (const row of result.rows) yield { fields: result.fields, row };
            })();
            return Readable.from(rows, { objectMode: true }) as never;
          },
        };
      },
    };
  });
}
