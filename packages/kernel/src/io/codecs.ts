import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { DomainError, type FieldIssue } from '../errors.js';
import { isUuid } from '../ids.js';
import { err, ok, type Result } from '../result.js';

/**
 * io-ts helpers shared by every edge (HTTP bodies, message payloads, configuration).
 * Codecs here reject rather than coerce: unknown fields, wrong types and out-of-range values
 * are reported with a path and a message.
 */

/**
 * What a codec means beyond its TypeScript type, for tools that describe the API (OpenAPI
 * generation): the custom codecs below register themselves here.
 */
export type CodecDescription =
  | { readonly kind: 'uuid' }
  | { readonly kind: 'date-time' }
  | { readonly kind: 'email' }
  | { readonly kind: 'string'; readonly min: number; readonly max: number }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'strictObject'; readonly required: t.Props; readonly optional: t.Props };

export const codecDescriptions = new WeakMap<object, CodecDescription>();

/** Registers what a codec means (see CodecDescription) and returns it. */
export function describeCodec<C extends object>(codec: C, description: CodecDescription): C {
  codecDescriptions.set(codec, description);
  return codec;
}

export interface UuidBrand { readonly Uuid: unique symbol }
export const Uuid = describeCodec(t.brand(t.string, (s): s is t.Branded<string, UuidBrand> => isUuid(s), 'Uuid'), { kind: 'uuid' });
export type Uuid = t.TypeOf<typeof Uuid>;

/** Text PostgreSQL cannot store faithfully: NUL bytes and lone UTF-16 surrogates. */
// NUL is exactly the character we are looking for here.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

/** A string of bounded length after trimming; the decoded value is trimmed. */
export function boundedString(min: number, max: number, name = `string(${min}..${max})`): t.Type<string, string, unknown> {
  return describeCodec(new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && u.trim().length >= min && u.trim().length <= max,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, 'must be a string');
      if (!isStorableText(u)) return t.failure(u, c, 'must not contain NUL characters or broken UTF-16');
      const trimmed = u.trim();
      if (trimmed.length < min) return t.failure(u, c, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
      if (trimmed.length > max) return t.failure(u, c, `must be at most ${max} characters`);
      return t.success(trimmed);
    },
    t.identity,
  ), { kind: 'string', min, max });
}

/** An ISO 8601 date-time with a zone (`2026-05-01T09:00:00Z`), decoded to a Date. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const IsoDateTime = describeCodec(new t.Type<Date, string, unknown>(
  'IsoDateTime',
  (u): u is Date => u instanceof Date && !Number.isNaN(u.getTime()),
  (u, c) => {
    if (typeof u !== 'string' || !ISO_DATE_TIME.test(u)) return t.failure(u, c, 'must be an ISO 8601 date-time with a time zone');
    const date = new Date(u);
    return Number.isNaN(date.getTime()) ? t.failure(u, c, 'is not a real date') : t.success(date);
  },
  (d) => d.toISOString(),
), { kind: 'date-time' });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An email address, trimmed; case is kept (comparison is case-insensitive in the domain). */
export const Email = describeCodec(new t.Type<string, string, unknown>(
  'Email',
  (u): u is string => typeof u === 'string' && EMAIL.test(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'must be a string');
    const trimmed = u.trim();
    if (trimmed.length > 254 || !EMAIL.test(trimmed) || !isStorableText(trimmed)) return t.failure(u, c, 'must be an email address');
    return t.success(trimmed);
  },
  t.identity,
), { kind: 'email' });

/** An integer within bounds. */
export function boundedInt(min: number, max: number): t.Type<number, number, unknown> {
  return describeCodec(new t.Type<number, number, unknown>(
    `int(${min}..${max})`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => {
      if (typeof u !== 'number' || !Number.isInteger(u)) return t.failure(u, c, 'must be an integer');
      if (u < min || u > max) return t.failure(u, c, `must be between ${min} and ${max}`);
      return t.success(u);
    },
    t.identity,
  ), { kind: 'int', min, max });
}

/**
 * An object codec that fails on keys it does not know (io-ts `exact` only strips them).
 * `required` keys must be present; `optional` keys may be absent.
 */
export function strictObject<R extends t.Props, O extends t.Props = Record<never, never>>(
  required: R,
  optional?: O,
  name?: string,
): t.Type<t.TypeOfProps<R> & t.TypeOfPartialProps<O>, t.OutputOfProps<R> & t.OutputOfPartialProps<O>, unknown> {
  const known = new Set([...Object.keys(required), ...Object.keys(optional ?? {})]);
  const inner = optional
    ? t.intersection([t.type(required), t.partial(optional)])
    : t.type(required);
  const exact = t.exact(inner as t.HasProps) as unknown as t.Type<
    t.TypeOfProps<R> & t.TypeOfPartialProps<O>,
    t.OutputOfProps<R> & t.OutputOfPartialProps<O>,
    unknown
  >;
  return describeCodec(new t.Type(
    name ?? exact.name,
    exact.is,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'must be an object');
      const unknownKeys = Object.keys(u).filter((key) => !known.has(key));
      if (unknownKeys.length > 0) {
        return t.failures(unknownKeys.map((key) => ({
          value: (u as Record<string, unknown>)[key],
          context: [...c, { key, type: t.never, actual: (u as Record<string, unknown>)[key] }],
          message: 'is not a known field',
        })));
      }
      return exact.validate(u, [...c, { key: '', type: inner, actual: u }]);
    },
    exact.encode,
  ), { kind: 'strictObject', required, optional: optional ?? {} });
}

/** Turns io-ts errors into `{path, message}` issues, the first one per failing path. */
export function describeErrors(errors: t.Errors): FieldIssue[] {
  const issues = new Map<string, string>();
  for (const error of errors) {
    const path = pathOf(error.context);
    if (!issues.has(path)) issues.set(path, error.value === undefined ? 'is required' : error.message ?? messageFor(error));
  }
  return [...issues].map(([path, message]) => ({ path, message }));
}

/** `speakerIds[2]`, `links.0.url` style paths; `$` is the input itself. */
function pathOf(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const { key } = context[i]!;
    const parent = context[i - 1]!.type;
    if (key === '') continue;
    if (parent instanceof t.ArrayType || parent instanceof t.ReadonlyArrayType) path += `[${key}]`;
    else if (parent instanceof t.IntersectionType || parent instanceof t.UnionType) continue;
    else path += path ? `.${key}` : key;
  }
  return path || '$';
}

function messageFor(error: t.ValidationError): string {
  const last = error.context[error.context.length - 1];
  return `must be ${last?.type.name ?? 'valid'}`;
}

/** Decodes input with a codec into a Result carrying a validation DomainError with issues. */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, input: unknown, code = 'REQUEST.INVALID'): Result<A, DomainError> {
  const decoded = codec.decode(input);
  if (isLeft(decoded)) {
    return err(DomainError.validation(code, 'The input is not valid', describeErrors(decoded.left)));
  }
  return ok(decoded.right);
}
