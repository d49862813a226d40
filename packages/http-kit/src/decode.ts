import type * as t from 'io-ts';
import { DomainError, decodeWith, type Result } from '@conference/kernel';
import type { Context } from 'koa';
import { requestBodyOf } from './json-body.js';

/**
 * Decoding of request input with io-ts codecs at the edge (DESIGN §3): the decoded value, or a
 * thrown validation DomainError whose issues become the problem's `errors` (`speakerIds[0]`).
 */

/** The JSON body decoded with `codec`; a missing or empty body is a 400 (REQUEST.BODY_REQUIRED). */
export function decodeBody<A>(ctx: Context, codec: t.Decoder<unknown, A>): A {
  const body = requestBodyOf(ctx);
  if (body === undefined) {
    throw DomainError.validation('REQUEST.BODY_REQUIRED', 'This request needs a JSON body', [{ path: '$', message: 'is required' }]);
  }
  return orThrow(decodeWith(codec, body, 'REQUEST.INVALID_BODY'));
}

/** The JSON body decoded with `codec`, or undefined when the request has no body. */
export function decodeOptionalBody<A>(ctx: Context, codec: t.Decoder<unknown, A>): A | undefined {
  const body = requestBodyOf(ctx);
  return body === undefined ? undefined : orThrow(decodeWith(codec, body, 'REQUEST.INVALID_BODY'));
}

/**
 * The query string decoded with `codec`. Values arrive as strings (a repeated parameter as an
 * array of strings), so query codecs parse numbers and lists from text themselves.
 */
export function decodeQuery<A>(ctx: Context, codec: t.Decoder<unknown, A>): A {
  // Copy into a plain object: the parsed query has a null prototype, which some codecs treat as "not an object".
  return orThrow(decodeWith(codec, { ...ctx.query }, 'REQUEST.INVALID_QUERY'));
}

/** The path parameters (`/:id`) decoded with `codec`. */
export function decodeParams<A>(ctx: Context, codec: t.Decoder<unknown, A>): A {
  const params = (ctx as Context & { params?: Record<string, string> }).params ?? {};
  return orThrow(decodeWith(codec, { ...params }, 'REQUEST.INVALID_PARAMS'));
}

function orThrow<A>(result: Result<A, DomainError>): A {
  if (!result.ok) throw result.error;
  return result.value;
}

export interface SendOptions<T> {
  /** Status on success. Default 200; 204 sends no body. */
  readonly status?: number;
  /** The ETag of the representation, e.g. `(view) => etagOf(view.version)`. */
  readonly etag?: (value: T) => string;
  /** The Location of a created resource, e.g. `(view) => \`/api/events/${view.id}\``. */
  readonly location?: (value: T) => string;
}

/**
 * Sends a use case's Result: the value as JSON with the given status, or the error thrown to the
 * problem handler, which maps its kind to a status. Errors that are not DomainErrors are thrown as
 * they are and become a 500.
 */
export function sendResult<T, E>(ctx: Context, result: Result<T, E>, options: SendOptions<T> = {}): void {
  if (!result.ok) throw result.error;
  const status = options.status ?? 200;
  if (options.etag) ctx.set('ETag', options.etag(result.value));
  if (options.location) ctx.set('Location', options.location(result.value));
  ctx.status = status;
  if (status !== 204) ctx.body = result.value ?? null;
}
