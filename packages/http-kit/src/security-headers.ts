import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'koa-helmet';

export interface SecurityHeaders {
  /** Header name and value, in the order helmet sets them. */
  readonly set: readonly (readonly [string, string])[];
  /** Headers helmet removes (X-Powered-By). */
  readonly removed: readonly string[];
}

/**
 * The headers helmet's defaults set, read once by running helmet against a response that only
 * records. With the defaults they are the same on every response (no per-request nonce), so the
 * pipeline sets them from this list instead of running helmet's dozen middleware per request.
 */
export function recordHelmetHeaders(): SecurityHeaders {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.push([name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  // helmet sets every header synchronously before it calls back; koa-helmet only wraps that call
  // in a promise, so the recording is complete when the call returns.
  void helmet()({ req: {} as IncomingMessage, res: recorder as unknown as ServerResponse } as never, () => Promise.resolve());
  return { set, removed };
}

let defaults: SecurityHeaders | undefined;

/** Helmet's default headers, recorded on first use (recordHelmetHeaders) and checked to be there. */
export function defaultSecurityHeaders(): SecurityHeaders {
  defaults ??= recordHelmetHeaders();
  return checked(defaults);
}

function checked(headers: SecurityHeaders): SecurityHeaders {
  if (headers.set.length === 0) throw new Error('helmet set no headers while being recorded; the security headers would be missing');
  return headers;
}

/** Sets (and removes) the recorded headers on a response. */
export function applySecurityHeaders(res: ServerResponse, headers: SecurityHeaders): void {
  const { set, removed } = headers;
  for (let i = 0; i < set.length; i++) res.setHeader(set[i]![0], set[i]![1]);
  for (let i = 0; i < removed.length; i++) res.removeHeader(removed[i]!);
}
