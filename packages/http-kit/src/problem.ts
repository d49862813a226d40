import type { DomainErrorKind, FieldIssue } from '@conference/kernel';
import { isDomainError } from '@conference/kernel';

/**
 * RFC 9457 problem details, the one error shape every service answers with (DESIGN §3).
 * `code` is the stable string clients and logs rely on; `detail` is for people and may change.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code: string;
  readonly errors?: readonly FieldIssue[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * A failure of the HTTP exchange itself (413, 415, 404 route, 405 ...), as opposed to a
 * DomainError, which is a failure of the use case. Carries the headers the status needs (Allow).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly options: { readonly errors?: readonly FieldIssue[]; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  unavailable: 503,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export const titleOf = (status: number): string => TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');

export interface ProblemOptions {
  /** Prefix of the `type` URI; the lower-cased code is appended (`urn:conference:problem:event.not_found`). */
  readonly typeBase: string;
  /** Sent as Retry-After with every 503, so clients and the gateway back off instead of hammering. */
  readonly retryAfterSeconds: number;
}

export const DEFAULT_PROBLEM_OPTIONS: ProblemOptions = { typeBase: 'urn:conference:problem:', retryAfterSeconds: 5 };

/** What the error handler sends: the body, the headers the status requires, and whether it was expected. */
export interface ProblemResponse {
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
  /** false for anything the code did not anticipate: logged with its stack, answered generically. */
  readonly expected: boolean;
}

/** koa / http-errors style errors (`ctx.throw(400)`, `ctx.assert`), recognised without importing them. */
interface HttpLikeError { status: number; expose?: boolean; message: string; headers?: Record<string, string> }
const isHttpLikeError = (error: unknown): error is HttpLikeError =>
  error instanceof Error && typeof (error as Partial<HttpLikeError>).status === 'number';

/** Maps any thrown value to the problem the client gets. Never reveals what an unexpected error said. */
export function problemFor(error: unknown, instance: string, options: ProblemOptions = DEFAULT_PROBLEM_OPTIONS): ProblemResponse {
  const build = (status: number, code: string, detail: string, errors?: readonly FieldIssue[]): Problem => ({
    type: `${options.typeBase}${code.toLowerCase()}`,
    title: titleOf(status),
    status,
    detail,
    instance,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  });

  if (isDomainError(error)) {
    const status = STATUS_OF_KIND[error.kind];
    return { problem: build(status, error.code, error.message, error.issues), headers: headersFor(status, error.code, options), expected: true };
  }
  if (error instanceof HttpProblem) {
    return {
      problem: build(error.status, error.code, error.message, error.options.errors),
      headers: { ...headersFor(error.status, error.code, options), ...error.options.headers },
      expected: error.status < 500,
    };
  }
  if (isHttpLikeError(error) && error.status >= 400 && error.status < 500 && error.expose !== false) {
    return { problem: build(error.status, `HTTP.${error.status}`, error.message), headers: headersFor(error.status, '', options), expected: true };
  }
  return {
    problem: build(500, 'INTERNAL', 'An unexpected error occurred. It has been logged; quote the X-Request-Id header when reporting it.'),
    headers: {},
    expected: false,
  };
}

function headersFor(status: number, code: string, options: ProblemOptions): Record<string, string> {
  if (status === 401) {
    // RFC 6750 §3: a token that was presented but refused is an "invalid_token"; a missing one gets a bare challenge.
    const refused = code === 'AUTH.TOKEN_INVALID' || code === 'AUTH.TOKEN_EXPIRED';
    return { 'WWW-Authenticate': refused ? 'Bearer error="invalid_token"' : 'Bearer' };
  }
  if (status === 503) return { 'Retry-After': String(options.retryAfterSeconds) };
  return {};
}
