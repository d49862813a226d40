/** Expected outcomes of a use case: a value, or a typed domain error. Unexpected failures are thrown. */
export type Result<T, E> = Ok<T> | Err<E>;
export interface Ok<T> { readonly ok: true; readonly value: T }
export interface Err<E> { readonly ok: false; readonly error: E }

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });

/** Returns the value or throws the error; for tests and places where failure is a bug. */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error instanceof Error ? result.error : new Error(`unwrap on an Err: ${JSON.stringify(result.error)}`);
}
