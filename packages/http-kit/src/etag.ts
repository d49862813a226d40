import { DomainError } from '@conference/kernel';
import type { Context } from 'koa';

/**
 * Optimistic concurrency over HTTP (DESIGN §3): an aggregate's version is its strong ETag, and
 * If-Match carries the version a change is based on.
 */

/** `"<version>"`: the strong ETag of a representation at `version`. */
export const etagOf = (version: number): string => `"${version}"`;

const STRONG_VERSION_ETAG = /^"(\d{1,15})"$/;

/**
 * The version a change is based on, from If-Match or the body's `version`; undefined when the
 * client sent neither (the host decides whether that is allowed or a 428).
 *
 * `If-Match: *` asks only that the resource exists, so it names no version. A weak or malformed
 * tag, a list of tags (which version would we check?) or a body version that disagrees with
 * If-Match is a 400: guessing would defeat the point of the check.
 */
export function expectedVersion(ctx: Context, bodyVersion?: number): number | undefined {
  const header = ctx.get('If-Match').trim();
  if (header === '' || header === '*') return bodyVersion;
  const match = STRONG_VERSION_ETAG.exec(header);
  const version = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw DomainError.validation('REQUEST.INVALID_IF_MATCH', 'If-Match must be one strong ETag as sent in ETag, e.g. "3"', [
      { path: 'If-Match', message: 'must be one strong ETag such as "3"' },
    ]);
  }
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw DomainError.validation('REQUEST.VERSION_MISMATCH', `If-Match names version ${version} but the body names version ${bodyVersion}`, [
      { path: 'version', message: `disagrees with If-Match (${version})` },
    ]);
  }
  return version;
}
