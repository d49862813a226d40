import { seededRandom } from '@conference/kernel/testing';
import { DEFAULT_BODY_LIMIT_BYTES } from '../json-body.js';

/** One malformed request body for fuzzing a route. */
export interface MalformedBody {
  /** What it is, for test titles: `wrong type for capacity (string)`. */
  readonly name: string;
  readonly body: Buffer;
  readonly contentType: string;
  /**
   * The status the http-kit pipeline itself answers, when it is decided before the route's codec
   * (invalid JSON and encoding → 400, too large → 413, wrong media type → 415). Otherwise the
   * route's codec decides, and the answer must merely be a 4xx, never a 5xx and never a write.
   */
  readonly expectedStatus?: 400 | 413 | 415;
}

export interface MalformedBodiesOptions {
  /** A valid body for the route; the cases are variations of it. */
  readonly sample: Readonly<Record<string, unknown>>;
  /** The app's body limit (default 64 kB), for the too-large and just-under cases. */
  readonly limitBytes?: number;
}

type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const JSON_TYPE = 'application/json';

/** Values of each JSON type, to put where a field wants another type. */
const VALUES_BY_TYPE: Readonly<Record<string, readonly unknown[]>> = {
  string: ['', 'x', '12', 'true', 'null', '2026-13-45T99:99:99Z', ' '.repeat(3), '💥'],
  number: [0, -1, 1.5, 1e308, -0, 2 ** 53 + 2],
  boolean: [true, false],
  null: [null],
  array: [[], [1, 'a'], [null]],
  object: [{}, { nested: true }],
};

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

type Maker = (rng: Rng) => MalformedBody;

/**
 * Malformed bodies for fuzzing a route whose valid body looks like `sample`, deterministic from
 * `seed`: wrong types for every field, each field missing, extra fields, null/array/string/number
 * at the root, deep nesting (10,000 levels as raw text), strings beyond and just under the size
 * limit, invalid UTF-8, NUL and lone surrogates, and invalid JSON text. The first
 * `min(count, kinds)` cover every kind once; beyond that, kinds repeat with other random variations.
 */
export function malformedBodies(seed: number, count: number, options: MalformedBodiesOptions): MalformedBody[] {
  const { sample } = options;
  const limit = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const fields = Object.keys(sample);
  const stringField = fields.find((f) => typeof sample[f] === 'string') ?? fields[0] ?? 'field';
  const sampleText = JSON.stringify(sample);

  const makers: Maker[] = [
    ...fields.map((field): Maker => (rng) => {
      const actual = jsonTypeOf(sample[field]);
      const type = pick(rng, Object.keys(VALUES_BY_TYPE).filter((t) => t !== actual));
      return { name: `wrong type for ${field} (${type} instead of ${actual})`, body: json({ ...sample, [field]: pick(rng, VALUES_BY_TYPE[type]!) }), contentType: JSON_TYPE };
    }),
    ...fields.map((field): Maker => () => {
      const rest = { ...sample };
      delete rest[field];
      return { name: `${field} missing`, body: json(rest), contentType: JSON_TYPE };
    }),
    (rng) => ({ name: 'an extra field', body: json({ ...sample, [`unexpected${Math.floor(rng() * 1000)}`]: pick(rng, VALUES_BY_TYPE['string']!) }), contentType: JSON_TYPE }),
    () => ({ name: 'a __proto__ field', body: Buffer.from(`{"__proto__":{"polluted":true},${sampleText.slice(1)}`), contentType: JSON_TYPE }),
    () => ({ name: 'null at the root', body: json(null), contentType: JSON_TYPE }),
    () => ({ name: 'an array at the root', body: json([sample]), contentType: JSON_TYPE }),
    (rng) => ({ name: 'a string at the root', body: json(pick(rng, ['', 'sample', sampleText])), contentType: JSON_TYPE }),
    (rng) => ({ name: 'a number at the root', body: json(pick(rng, [0, 42, -1.5])), contentType: JSON_TYPE }),
    () => ({ name: 'true at the root', body: json(true), contentType: JSON_TYPE }),
    () => ({ name: '10,000 nested arrays', body: Buffer.from(`{"${stringField}":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), contentType: JSON_TYPE, expectedStatus: 400 }),
    () => ({ name: '10,000 nested objects', body: Buffer.from(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`), contentType: JSON_TYPE, expectedStatus: 400 }),
    () => ({ name: '10,000 unclosed brackets', body: Buffer.from('['.repeat(10_000)), contentType: JSON_TYPE, expectedStatus: 400 }),
    () => ({ name: `a string beyond the ${limit}-byte limit`, body: json({ ...sample, [stringField]: 'x'.repeat(limit + 1) }), contentType: JSON_TYPE, expectedStatus: 413 }),
    () => {
      const overhead = json({ ...sample, [stringField]: '' }).length;
      return { name: `a string just under the ${limit}-byte limit`, body: json({ ...sample, [stringField]: 'x'.repeat(Math.max(0, limit - overhead - 1)) }), contentType: JSON_TYPE };
    },
    (rng) => ({
      name: 'invalid UTF-8 in a string',
      body: withBytesInString(sample, stringField, pick(rng, [[0xc3, 0x28], [0x80], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])),
      contentType: JSON_TYPE,
      expectedStatus: 400,
    }),
    () => ({ name: 'a raw NUL byte in a string', body: withBytesInString(sample, stringField, [0x00]), contentType: JSON_TYPE, expectedStatus: 400 }),
    () => ({ name: 'an escaped NUL (\\u0000) in a string', body: json({ ...sample, [stringField]: 'a\u0000b' }), contentType: JSON_TYPE }),
    () => ({ name: 'a lone surrogate (\\ud800) in a string', body: Buffer.from(JSON.stringify({ ...sample, [stringField]: 'PLACEHOLDER' }).replace('PLACEHOLDER', 'a\\ud800b')), contentType: JSON_TYPE }),
    (rng) => {
      const cut = 1 + Math.floor(rng() * Math.max(1, sampleText.length - 2));
      return { name: `JSON truncated at ${cut}`, body: Buffer.from(sampleText.slice(0, cut)), contentType: JSON_TYPE, expectedStatus: 400 };
    },
    (rng) => {
      const [name, text] = pick(rng, [
        ['a trailing comma', `${sampleText.slice(0, -1)},}`],
        ['single quotes', sampleText.replace(/"/g, "'")],
        ['unquoted keys', sampleText.replace(/"([^"]+)":/g, '$1:')],
        ['NaN', `${sampleText.slice(0, -1)}${fields.length > 0 ? ',' : ''}"n":NaN}`],
        ['a comment', `/* hi */${sampleText}`],
        ['two documents', `${sampleText}${sampleText}`],
        ['undefined', 'undefined'],
      ] as const);
      return { name: `invalid JSON: ${name}`, body: Buffer.from(text), contentType: JSON_TYPE, expectedStatus: 400 };
    },
    (rng) => ({ name: 'a form body', body: Buffer.from(new URLSearchParams({ [stringField]: String(rng()) }).toString()), contentType: 'application/x-www-form-urlencoded', expectedStatus: 415 }),
    () => ({ name: 'JSON declared as text/plain', body: json(sample), contentType: 'text/plain', expectedStatus: 415 }),
  ];

  const rng = seededRandom(seed);
  const order = makers.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from({ length: count }, (_, i) => makers[order[i % order.length]!]!(rng));
}

/** The sample's JSON with raw `bytes` inside the string value of `field` (or a new field). */
function withBytesInString(sample: Readonly<Record<string, unknown>>, field: string, bytes: readonly number[]): Buffer {
  const [before, after] = JSON.stringify({ ...sample, [field]: 'SPLIT' }).split('SPLIT') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}
