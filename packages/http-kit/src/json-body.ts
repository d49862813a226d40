import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import { HttpProblem } from './problem.js';

/** Largest body accepted, in bytes: our largest legitimate body (an event) is a few kB. */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
/** Deepest nesting of arrays/objects accepted: none of our shapes is deeper than 4. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The parsed JSON body of the request, or undefined when it had none. */
export function requestBodyOf(ctx: Context): unknown {
  return (ctx.request as { body?: unknown }).body;
}

/** Whether a request has a body to read: a POST/PUT/PATCH that declares a length or a transfer coding. */
export const hasRequestBody = (ctx: Context): boolean => BODY_METHODS.has(ctx.method) && carriesBody(ctx.req);

/**
 * Reads a JSON body (and only JSON) into ctx.request.body, for a request that hasRequestBody (the
 * pipeline, pipeline.ts, calls it), refusing with a problem rather than failing later: 413 beyond
 * the limit, 415 for another media type, charset or content encoding, 400 for invalid UTF-8,
 * invalid JSON or nesting deeper than `maxDepth`.
 *
 * The depth is checked on the text before parsing: V8's JSON.parse copes with deep nesting, but
 * everything recursive that touches the value afterwards (io-ts, JSON.stringify in a log line)
 * would blow the stack and turn bad input into a 500.
 *
 * A request without a body leaves ctx.request.body undefined; whether that is acceptable is the
 * route's decision (decodeBody answers 400 when a body is required).
 */
export async function readJsonBody(ctx: Context, limit = DEFAULT_BODY_LIMIT_BYTES, maxDepth = DEFAULT_MAX_JSON_DEPTH): Promise<void> {
  checkMediaType(ctx);
  const text = decodeUtf8(await readLimited(ctx.req, limit));
  (ctx.request as { body?: unknown }).body = text.trim() === '' ? undefined : parseJson(text, maxDepth);
}

function carriesBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

function checkMediaType(ctx: Context): void {
  const type = ctx.get('Content-Type');
  if (!type || !ctx.is('application/json', 'application/*+json')) {
    throw new HttpProblem(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', `The body must be application/json${type ? `, not ${type.split(';')[0]}` : ' (Content-Type is missing)'}`, {
      headers: { 'Accept-Post': 'application/json', 'Accept-Patch': 'application/json' },
    });
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new HttpProblem(415, 'REQUEST.UNSUPPORTED_CHARSET', `The body must be UTF-8, not ${charset}`);
  }
  const encoding = ctx.get('Content-Encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') {
    // RFC 7694 §3: an unsupported content coding is a 415, and Accept-Encoding says what we take.
    throw new HttpProblem(415, 'REQUEST.UNSUPPORTED_ENCODING', `Content-Encoding ${encoding} is not accepted; send the body uncompressed`, {
      headers: { 'Accept-Encoding': 'identity' },
    });
  }
}

function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(413, 'REQUEST.TOO_LARGE', `The body is larger than ${limit} bytes`);
}

/**
 * Collects the body up to `limit` bytes. Beyond it the rest is read and discarded (not stored)
 * rather than the socket destroyed, so the client can still read the 413.
 */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    const onData = (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(limit));
      } else {
        chunks.push(chunk);
      }
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onEnd = () => {
      cleanup();
      if (!refused) resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      if (!refused) reject(new HttpProblem(400, 'REQUEST.BODY_INCOMPLETE', `The body was not received completely: ${error.message}`));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new HttpProblem(400, 'REQUEST.INVALID_ENCODING', 'The body is not valid UTF-8');
  }
}

function parseJson(text: string, maxDepth: number): unknown {
  if (nestingDepth(text) > maxDepth) {
    throw new HttpProblem(400, 'REQUEST.TOO_DEEP', `The body nests arrays or objects deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message names the position of the problem, which helps the client; it never echoes much input.
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'invalid JSON';
    throw new HttpProblem(400, 'REQUEST.MALFORMED_JSON', `The body is not valid JSON: ${reason}`);
  }
}

/**
 * The deepest array/object nesting in JSON text, ignoring brackets inside strings. Stops counting
 * at the first close bracket it cannot match; JSON.parse reports that text as malformed anyway.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
