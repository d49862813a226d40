import { randomUUID } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';

/** The request being served, so one request can be followed through every service's logs (DESIGN §3). */
export const REQUEST_ID_KEY = 'x-request-id';
/** Who is calling: `<service>` or `<service>;user=<user id>` when the call acts for a user. */
export const CALLER_KEY = 'x-caller';

export interface Caller {
  /** The calling service (`event-service`). */
  readonly service: string;
  /** The user the calling service acts for, when there is one. */
  readonly userId: string | null;
}

/**
 * The same rule http-kit applies to X-Request-Id: a short token of URL-safe characters. Anything else
 * could forge log lines, and grpc-js refuses non-ASCII header values outright.
 */
const SANE_TOKEN = /^[A-Za-z0-9._~:+/=-]{1,128}$/;
const SERVICE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export const isSaneRequestId = (value: string): boolean => SANE_TOKEN.test(value);

/** The metadata of an outgoing call; an insane or missing request id becomes a fresh one so every call can be traced. */
export function outgoingMetadata(options: { requestId: string | null; caller: Caller }): Metadata {
  const metadata = new Metadata();
  metadata.set(REQUEST_ID_KEY, options.requestId && isSaneRequestId(options.requestId) ? options.requestId : randomUUID());
  metadata.set(CALLER_KEY, formatCaller(options.caller));
  return metadata;
}

export function formatCaller(caller: Caller): string {
  if (!SERVICE_NAME.test(caller.service)) throw new Error(`${JSON.stringify(caller.service)} is not a service name`);
  return caller.userId && SANE_TOKEN.test(caller.userId) ? `${caller.service};user=${caller.userId}` : caller.service;
}

/** The request id a call arrived with, or null when it had none worth logging. */
export function requestIdOf(metadata: Metadata): string | null {
  const value = metadata.get(REQUEST_ID_KEY)[0];
  return typeof value === 'string' && isSaneRequestId(value) ? value : null;
}

/** The caller a call names, or null when it names none (or something malformed). Identity for logs and metrics, not authentication. */
export function callerOf(metadata: Metadata): Caller | null {
  const value = metadata.get(CALLER_KEY)[0];
  if (typeof value !== 'string') return null;
  const [service = '', ...rest] = value.split(';');
  if (!SERVICE_NAME.test(service)) return null;
  const user = rest.find((part) => part.startsWith('user='))?.slice('user='.length) ?? null;
  return { service, userId: user !== null && SANE_TOKEN.test(user) ? user : null };
}
