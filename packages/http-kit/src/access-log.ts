import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Routes polled by probes and scrapers every few seconds: logged at debug so they do not drown the rest. */
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

/**
 * Lines are batched up to this many bytes per write: one write(2) per request on the hot path
 * cost more CPU than the request's own work in the profile (bench/RESULTS.md, Profile §2).
 */
export const LOG_BUFFER_BYTES = 4096;
/** A quiet process still writes what it buffered within this time (a "ready" line, a warning). */
export const LOG_FLUSH_INTERVAL_MS = 100;

let stdout: DestinationStream | undefined;

/**
 * The process's one asynchronous stdout destination. One per process, not one per logger: the
 * embedded profile and the test suites create many loggers, and each destination brings a buffer,
 * a flush timer and an exit hook. pino.destination registers a synchronous flush on process exit
 * (process.exit, the shutdown handler's exit, an uncaught exception), so buffered lines are not
 * lost; only a SIGKILL loses up to one buffer and one interval.
 */
export function stdoutDestination(): DestinationStream {
  stdout ??= pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
  return stdout;
}

/**
 * Where a credential could land in a log line should a caller log a header, a body or an input by
 * mistake; those values are replaced by `[redacted]`. Named paths, no wildcards: a `*.password`
 * makes pino copy and walk every line's fields, 6 µs a line on the bench machine — more than the
 * line itself, and paid by every "message handled" and access log line — while named paths cost
 * next to nothing.
 */
export const REDACTED_PATHS = [
  'authorization', 'cookie', 'password', 'refreshToken', 'accessToken', 'token',
  'headers.authorization', 'headers.cookie',
  'req.headers.authorization', 'req.headers.cookie', 'request.headers.authorization', 'request.headers.cookie',
  'body.password', 'body.refreshToken', 'body.accessToken', 'body.token',
  'input.password', 'input.refreshToken', 'user.password',
] as const;

/**
 * A JSON logger for a service: one object per line, `service` on every line, and REDACTED_PATHS
 * redacted. Without `destination` it writes to stdout through stdoutDestination().
 */
export function createLogger(service: string, options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  return pino({
    level: 'info',
    base: { service },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    ...options,
  }, destination ?? (options.transport ? undefined : stdoutDestination()));
}

/**
 * ctx.state of a request: its id, and `log`, a child logger stamped with the id made on first
 * read (most handlers never log, and a child logger per request showed in the profile). A class,
 * so the lazy field costs no Object.defineProperty and no closures per request.
 */
export class RequestState {
  #log: Logger | undefined;
  readonly #logger: Logger;

  constructor(public requestId: string, logger: Logger) {
    this.#logger = logger;
  }

  get log(): Logger {
    return (this.#log ??= this.#logger.child({ requestId: this.requestId }));
  }

  set log(value: Logger) {
    this.#log = value;
  }

  [key: string]: unknown;
}

/** What the access log line says about one request. */
export interface AccessLogLine {
  readonly requestId: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
}

/** Writes access log lines to `logger`: quiet routes (probes, scrapes) at debug, the rest at info. */
export function accessLogWriter(logger: Logger): (line: AccessLogLine) => void {
  return (line) => {
    if (QUIET_ROUTES.has(line.route)) logger.debug(line, 'request');
    else logger.info(line, 'request');
  };
}

/** Milliseconds rounded to the microsecond, as the access log line carries them. */
export const roundedMs = (ms: number): number => Math.round(ms * 1000) / 1000;
