import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describeErrors } from '@conference/kernel';

/**
 * Wraps an io-ts codec as a Standard Schema so slonik's `sql.type(...)` accepts it, and so the
 * row-validation interceptor (see pool.ts) can check every row at run time: a column whose type
 * drifted from the code fails loudly instead of flowing on as the wrong type.
 */
export function rowSchema<C extends t.Mixed>(codec: C): StandardSchemaV1<unknown, t.TypeOf<C>> & C {
  const standard: StandardSchemaV1.Props<unknown, t.TypeOf<C>> = {
    version: 1,
    vendor: 'io-ts',
    validate: (value) => {
      const decoded = codec.decode(value);
      if (isLeft(decoded)) {
        return { issues: describeErrors(decoded.left).map((issue) => ({ message: `${issue.path}: ${issue.message}`, path: [issue.path] })) };
      }
      return { value: decoded.right };
    },
  };
  return Object.assign(Object.create(codec) as C, { '~standard': standard });
}

/** A timestamptz column (the pool's type parser turns it into a Date). */
export const DbDate = new t.Type<Date, Date, unknown>(
  'DbDate',
  (u): u is Date => u instanceof Date,
  (u, c) => (u instanceof Date && !Number.isNaN(u.getTime()) ? t.success(u) : t.failure(u, c, 'must be a timestamptz')),
  t.identity,
);

export const dbNullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);
