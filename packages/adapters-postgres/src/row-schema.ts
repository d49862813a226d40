import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describeErrors } from '@conference/kernel';

/**
 * Wraps an io-ts codec as a Standard Schema so slonik's `sql.type(...)` accepts it, and so the
 * row-validation interceptor (see pool.ts) can check every row at run time: a column whose type
 * drifted from the code fails loudly instead of flowing on as the wrong type.
 *
 * Rows are checked with a decoder compiled from the codec (compileDecoder), which answers what
 * `codec.decode` answers but without building io-ts's context path per field: that path is only
 * needed to describe a failure, so on a failure the codec's own decode runs again for the issues.
 */
export function rowSchema<C extends t.Mixed>(codec: C): StandardSchemaV1<unknown, t.TypeOf<C>> & C {
  const fast = compileDecoder(codec);
  const standard: StandardSchemaV1.Props<unknown, t.TypeOf<C>> = {
    version: 1,
    vendor: 'io-ts',
    validate: (value) => {
      const decodedFast = fast(value);
      if (decodedFast !== FAILED) return { value: decodedFast as t.TypeOf<C> };
      const decoded = codec.decode(value);
      if (isLeft(decoded)) {
        return { issues: describeErrors(decoded.left).map((issue) => ({ message: `${issue.path}: ${issue.message}`, path: [issue.path] })) };
      }
      return { value: decoded.right };
    },
  };
  return Object.assign(Object.create(codec) as C, { '~standard': standard });
}

/** What a compiled decoder answers for a value its codec refuses. */
const FAILED: unique symbol = Symbol('row decoding failed');
type CompiledDecoder = (u: unknown) => unknown;

/** Leaf validators only read the context to describe a failure, and a failure is decoded again with its path. */
const NO_CONTEXT: t.Context = [];
const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * A decoder equivalent to `codec.decode` on success (the same value, copied where io-ts copies)
 * and answering FAILED where decode fails. The io-ts combinators rows are made of (type, array,
 * union, refinement, keyof, literal, the primitives) are mirrored without their per-field context;
 * any other codec (DbDate, custom types, exact ...) runs its own validate.
 */
export function compileDecoder(codec: t.Mixed): CompiledDecoder {
  const tagged = codec as t.Mixed & { readonly _tag?: string };
  switch (tagged._tag) {
    case 'StringType':
      return (u) => (typeof u === 'string' ? u : FAILED);
    case 'NumberType':
      return (u) => (typeof u === 'number' ? u : FAILED);
    case 'BooleanType':
      return (u) => (typeof u === 'boolean' ? u : FAILED);
    case 'NullType':
      return (u) => (u === null ? u : FAILED);
    case 'UnknownType':
      return (u) => u;
    case 'LiteralType': {
      const { value } = codec as unknown as t.LiteralType<string | number | boolean>;
      return (u) => (u === value ? u : FAILED);
    }
    case 'KeyofType': {
      const { keys } = codec as unknown as t.KeyofType<Record<string, unknown>>;
      return (u) => (typeof u === 'string' && hasOwn(keys, u) ? u : FAILED);
    }
    case 'RefinementType': {
      const refinement = codec as unknown as t.RefinementType<t.Mixed>;
      const base = compileDecoder(refinement.type);
      return (u) => {
        const a = base(u);
        return a !== FAILED && refinement.predicate(a) ? a : FAILED;
      };
    }
    case 'ReadonlyType':
      return compileDecoder((codec as unknown as t.ReadonlyType<t.Mixed>).type);
    case 'UnionType': {
      const members = (codec as unknown as t.UnionType<t.Mixed[]>).types.map(compileDecoder);
      return (u) => {
        for (const member of members) {
          const a = member(u);
          if (a !== FAILED) return a;
        }
        return FAILED;
      };
    }
    case 'ArrayType':
    case 'ReadonlyArrayType': {
      const item = compileDecoder((codec as unknown as t.ArrayType<t.Mixed>).type);
      return (u) => {
        if (!Array.isArray(u)) return FAILED;
        let as: unknown[] = u;
        for (let i = 0; i < u.length; i++) {
          const ui: unknown = u[i];
          const ai = item(ui);
          if (ai === FAILED) return FAILED;
          if (ai !== ui) {
            if (as === u) as = u.slice();
            as[i] = ai;
          }
        }
        return as;
      };
    }
    case 'InterfaceType': {
      const props = (codec as unknown as t.InterfaceType<t.Props>).props;
      const keys = Object.keys(props);
      const decoders = keys.map((key) => compileDecoder(props[key]!));
      return (u) => {
        if (!t.UnknownRecord.is(u)) return FAILED;
        let a = u;
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const ak = a[key];
          const vak = decoders[i]!(ak);
          if (vak === FAILED) return FAILED;
          if (vak !== ak || (vak === undefined && !hasOwn(a, key))) {
            if (a === u) a = { ...u };
            a[key] = vak;
          }
        }
        return a;
      };
    }
    default:
      return (u) => {
        const result = codec.validate(u, NO_CONTEXT);
        return isLeft(result) ? FAILED : result.right;
      };
  }
}

/** A timestamptz column (the pool's type parser turns it into a Date). */
export const DbDate = new t.Type<Date, Date, unknown>(
  'DbDate',
  (u): u is Date => u instanceof Date,
  (u, c) => (u instanceof Date && !Number.isNaN(u.getTime()) ? t.success(u) : t.failure(u, c, 'must be a timestamptz')),
  t.identity,
);

export const dbNullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);
