/**
 * The kinds of expected failure. Each maps to one HTTP status and one gRPC status at the edge,
 * so the domain never speaks in transport codes.
 */
export type DomainErrorKind =
  | 'validation'    // 400 / INVALID_ARGUMENT: the input breaks a rule of its own shape
  | 'unauthorized'  // 401 / UNAUTHENTICATED: who are you?
  | 'forbidden'     // 403 / PERMISSION_DENIED: not yours
  | 'not_found'     // 404 / NOT_FOUND
  | 'conflict'      // 409 / ALREADY_EXISTS, ABORTED: uniqueness, stale version, overlapping booking
  | 'unprocessable' // 422 / FAILED_PRECONDITION: well-formed but refers to something unusable
  | 'unavailable';  // 503 / UNAVAILABLE: a peer the use case needs cannot answer now

export interface FieldIssue { readonly path: string; readonly message: string }

/**
 * An expected failure with a stable string code (`ENROLLMENT.EVENT_FULL`) that clients and logs
 * can rely on; `message` is for people and may change.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(code: string, message: string, issues: readonly FieldIssue[] = []): DomainError {
    return new DomainError(code, 'validation', message, issues);
  }
  static unauthorized(code: string, message: string): DomainError {
    return new DomainError(code, 'unauthorized', message);
  }
  static forbidden(code: string, message: string): DomainError {
    return new DomainError(code, 'forbidden', message);
  }
  static notFound(code: string, message: string): DomainError {
    return new DomainError(code, 'not_found', message);
  }
  static conflict(code: string, message: string): DomainError {
    return new DomainError(code, 'conflict', message);
  }
  static unprocessable(code: string, message: string, issues: readonly FieldIssue[] = []): DomainError {
    return new DomainError(code, 'unprocessable', message, issues);
  }
  static unavailable(code: string, message: string): DomainError {
    return new DomainError(code, 'unavailable', message);
  }
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

/**
 * Raised by a repository when an update was based on a version that is no longer current.
 * Use cases translate it to a `conflict` result.
 */
export class StaleVersionError extends DomainError {
  constructor(entity: string, id: string) {
    super(`${entity.toUpperCase()}.STALE_VERSION`, 'conflict', `${entity} ${id} was changed by someone else; reload it and try again`);
    this.name = 'StaleVersionError';
  }
}
