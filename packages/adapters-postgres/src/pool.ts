import { createPool, type DatabasePool, type DriverFactory, type Interceptor, SchemaValidationError } from 'slonik';

export interface PoolOptions {
  /** Connections this process may hold (default 10). Instances × pool size must stay under max_connections. */
  readonly maxPoolSize?: number;
  /** Milliseconds before the server cancels a statement (default 30 s). */
  readonly statementTimeout?: number;
  /** Shown in pg_stat_activity, so a stuck query can be traced to its service. */
  readonly applicationName?: string;
}

/**
 * Validates each row against the schema given with `sql.type(...)`. slonik does not do this by
 * itself; without it a wrong column type passes silently.
 */
const rowValidation: Interceptor = {
  name: 'conference-row-validation',
  transformRow: (context, query, row) => {
    const parser = context.resultParser;
    if (!parser) return row;
    const result = parser['~standard'].validate(row);
    if (result instanceof Promise) throw new Error('row schemas must validate synchronously');
    if (result.issues) throw new SchemaValidationError(query, row, result.issues);
    return result.value as typeof row;
  },
};

/**
 * slonik's default sends `DISCARD ALL` each time a connection goes back to the pool: one more
 * statement (and round trip) per read, which doubled the statements of every hot GET. Nothing here
 * leaves session state behind: row and advisory locks of the work are transaction-scoped,
 * `set_config(..., true)` is local to the transaction, and the two session-level users (the
 * migration lock, the outbox relay's lease) undo what they set before they let the connection go.
 */
const keepSession = async (): Promise<void> => undefined;

/** Dates as Date, counts as numbers: the shapes the domain works with. */
const typeParsers = [
  { name: 'timestamptz', parse: (value: string) => new Date(value) },
  { name: 'timestamp', parse: (value: string) => new Date(`${value}Z`) },
  { name: 'int8', parse: (value: string) => Number.parseInt(value, 10) },
  { name: 'numeric', parse: (value: string) => Number.parseFloat(value) },
];

export async function createDatabasePool(connectionUri: string, options: PoolOptions = {}): Promise<DatabasePool> {
  const url = new URL(connectionUri);
  if (options.applicationName && !url.searchParams.has('application_name')) {
    url.searchParams.set('application_name', options.applicationName);
  }
  return createPool(url.toString(), {
    maxPoolSize: options.maxPoolSize ?? 10,
    statementTimeout: options.statementTimeout ?? 30_000,
    idleTimeout: 10_000,
    connectionTimeout: 5_000,
    interceptors: [rowValidation],
    typeParsers,
    resetConnection: keepSession,
  });
}

/**
 * A pool over another slonik driver (the embedded profile's in-process PGlite), with the same row
 * validation and type parsers as createDatabasePool, so an adapter cannot tell the two apart.
 * The driver ignores the connection URI; `name` only labels the pool in slonik's logs.
 */
export async function createDatabasePoolWithDriver(driverFactory: DriverFactory, options: PoolOptions & { readonly name?: string } = {}): Promise<DatabasePool> {
  return createPool(`postgres://embedded/${encodeURIComponent(options.name ?? options.applicationName ?? 'database')}`, {
    driverFactory,
    maxPoolSize: options.maxPoolSize ?? 10,
    statementTimeout: options.statementTimeout ?? 30_000,
    idleTimeout: 10_000,
    connectionTimeout: 5_000,
    interceptors: [rowValidation],
    typeParsers,
    resetConnection: keepSession,
  });
}
