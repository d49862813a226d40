/** Header names this package writes; operators and the dead-letter CLI read them. */
export const Headers = {
  causationId: 'x-causation-id',
  requestId: 'x-request-id',
  messageVersion: 'x-message-version',
  /** 1 for the first delivery; incremented each time the consumer sends the message to a retry queue. */
  attempt: 'x-attempt',
  /** When the consumer first saw this message fail (ISO 8601). */
  firstFailedAt: 'x-first-failed-at',
  lastError: 'x-last-error',
  /** Why a message is in a dead-letter queue: a MESSAGE.* code for malformed input, HANDLER.FAILED otherwise. */
  deadReason: 'x-dead-reason',
  deadAt: 'x-dead-at',
  /** The consumer queue a dead letter is replayed to. */
  originalQueue: 'x-original-queue',
  replayedAt: 'x-replayed-at',
  replayCount: 'x-replay-count',
} as const;

/**
 * Headers the broker maintains when it dead-letters (our retry queues expire into the consumer
 * queue). Copying them into a message we publish ourselves would confuse RabbitMQ's own
 * bookkeeping, so they are dropped whenever a message is re-published.
 */
const BROKER_HEADERS = new Set(['x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-last-death-exchange', 'x-last-death-queue', 'x-last-death-reason']);

export function copyHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) if (!BROKER_HEADERS.has(name)) copy[name] = value;
  return copy;
}

export function headerNumber(headers: Record<string, unknown> | undefined, name: string): number | undefined {
  const value = headers?.[name];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function headerString(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}
