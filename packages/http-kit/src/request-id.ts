import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Correlation, CorrelationSource } from '@conference/kernel';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * What we accept from the gateway as a request id: a short token of URL-safe characters. Anything
 * else (spaces, quotes, control characters, very long) could forge log lines or bloat every log,
 * so it is replaced by a fresh UUID.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._~:+/=-]{1,128}$/;
export const isSaneRequestId = (value: string): boolean => SANE_REQUEST_ID.test(value);

const storage = new AsyncLocalStorage<string>();

/** The request id of the request being handled on this async path, if any. */
export const currentRequestId = (): string | undefined => storage.getStore();

/**
 * CorrelationSource for the kernel's MessageFactory: messages published while handling a request
 * carry its id as correlationId, so one request can be followed through every service (DESIGN §3).
 */
export const requestCorrelation: CorrelationSource = {
  current: (): Correlation => ({ correlationId: storage.getStore() ?? null, causationId: null }),
};

/** Runs `work` as if it were handling the request `requestId` (for gRPC/AMQP entry points and tests). */
export const runWithRequestId = <T>(requestId: string, work: () => T): T => storage.run(requestId, work);

/**
 * runWithRequestId with the arguments passed through rather than closed over: the HTTP pipeline
 * calls it once per request, and a closure per request showed in the profile.
 */
export const runWithRequestIdArgs = <A extends unknown[], T>(requestId: string, work: (...args: A) => T, ...args: A): T => storage.run(requestId, work, ...args);

/** The request id to use for a request that sent `incoming` (the X-Request-Id value, '' when absent). */
export const acceptRequestId = (incoming: string): string => (incoming && isSaneRequestId(incoming) ? incoming : randomUUID());
