import { Metadata, status as Status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { DomainError, type DomainErrorKind, type FieldIssue } from '@conference/kernel';

/** Trailing metadata that carries the stable domain code (`SESSION.NOT_FOUND`) beside the status. */
export const ERROR_CODE_KEY = 'x-error-code';
/** Trailing metadata with the field issues as UTF-8 JSON (binary, so any text survives). */
export const ERROR_ISSUES_KEY = 'x-error-issues-bin';

/**
 * DomainError kind → gRPC status, the one table servers use (kernel/errors.ts names the pairs).
 * `conflict` splits: creating what exists (`*.ALREADY_EXISTS`, `*_ALREADY_LINKED`) is ALREADY_EXISTS; everything else (stale version,
 * double booking) is ABORTED, which gRPC reserves for "retry at a higher level after re-reading".
 */
export function statusOfError(error: Pick<DomainError, 'kind' | 'code'>): Status {
  switch (error.kind) {
    case 'validation': return Status.INVALID_ARGUMENT;
    case 'unauthorized': return Status.UNAUTHENTICATED;
    case 'forbidden': return Status.PERMISSION_DENIED;
    case 'not_found': return Status.NOT_FOUND;
    case 'conflict': return /[._]ALREADY_(EXISTS|LINKED)$/.test(error.code) ? Status.ALREADY_EXISTS : Status.ABORTED;
    case 'unprocessable': return Status.FAILED_PRECONDITION;
    case 'unavailable': return Status.UNAVAILABLE;
  }
}

/**
 * gRPC status → the kind a client reports. Statuses that say the peer could not produce an answer
 * (down, overloaded, out of time, a bug, a contract it does not implement) are all `unavailable`:
 * the caller's user gets a 503 and may retry, never a 500 for someone else's failure.
 * OK has no kind.
 */
export function kindOfStatus(code: Status): DomainErrorKind | null {
  switch (code) {
    case Status.OK: return null;
    case Status.INVALID_ARGUMENT:
    case Status.OUT_OF_RANGE: return 'validation';
    case Status.UNAUTHENTICATED: return 'unauthorized';
    case Status.PERMISSION_DENIED: return 'forbidden';
    case Status.NOT_FOUND: return 'not_found';
    case Status.ALREADY_EXISTS:
    case Status.ABORTED: return 'conflict';
    case Status.FAILED_PRECONDITION: return 'unprocessable';
    default: return 'unavailable';
  }
}

export const statusName = (code: Status): string => Status[code] ?? `STATUS_${code}`;

/** The status object a server sends for an expected failure: status, message, and code + issues in trailers. */
export function statusOfDomainError(error: DomainError): StatusObject {
  const metadata = new Metadata();
  if (isSaneCode(error.code)) metadata.set(ERROR_CODE_KEY, error.code);
  if (error.issues.length > 0) metadata.set(ERROR_ISSUES_KEY, Buffer.from(JSON.stringify(error.issues), 'utf8'));
  return { code: statusOfError(error), details: error.message, metadata };
}

/**
 * The DomainError a failed call stands for, rebuilt from status, message and trailers, so a client
 * adapter can tell SESSION.NOT_FOUND from SESSION.INVALID_ID. Without a code in the trailers (a
 * proxy answered, or the call never reached a server) the code is `GRPC.<STATUS>`.
 */
export function domainErrorOf(error: Pick<ServiceError, 'code' | 'details' | 'metadata'>): DomainError {
  const kind = kindOfStatus(error.code) ?? 'unavailable';
  const sent = error.metadata?.get(ERROR_CODE_KEY)[0];
  const code = typeof sent === 'string' && isSaneCode(sent) ? sent : `GRPC.${statusName(error.code)}`;
  return new DomainError(code, kind, error.details || statusName(error.code), issuesOf(error.metadata));
}

const isSaneCode = (code: string): boolean => /^[A-Z0-9_.]{1,100}$/.test(code);

function issuesOf(metadata: Metadata | undefined): FieldIssue[] {
  const raw = metadata?.get(ERROR_ISSUES_KEY)[0];
  if (!Buffer.isBuffer(raw)) return [];
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item: unknown) =>
      typeof item === 'object' && item !== null && typeof (item as FieldIssue).path === 'string' && typeof (item as FieldIssue).message === 'string'
        ? [{ path: (item as FieldIssue).path, message: (item as FieldIssue).message }]
        : [],
    );
  } catch {
    return [];
  }
}
