import type { ChannelModel, GetMessage } from 'amqplib';
import { Headers, copyHeaders, headerNumber, headerString } from './headers.js';
import { publishConfirmed } from './publisher.js';
import { republishProperties } from './consumer.js';
import { consumerQueueOfDeadLetters, deadLetterQueueOf } from './topology.js';

/** A message in a dead-letter queue, as an operator needs to see it. */
export interface DeadLetter {
  readonly messageId: string | null;
  readonly type: string | null;
  readonly reason: string | null;
  readonly error: string | null;
  readonly attempts: number | null;
  readonly firstSeen: string | null;
  readonly deadAt: string | null;
  readonly correlationId: string | null;
  /** The first 200 characters of the body, for a malformed one that has no id. */
  readonly preview: string;
}

export interface ReplaySelection {
  /** Replay only the message(s) with this id. */
  readonly messageId?: string;
  /** Replay every message in the queue. */
  readonly all?: boolean;
}

/** Accepts `<queue>` or `<queue>.dead`. */
const deadQueueName = (queue: string): string => (queue.endsWith('.dead') ? queue : deadLetterQueueOf(queue));

const describe = (message: GetMessage): DeadLetter => {
  const headers = message.properties.headers as Record<string, unknown> | undefined;
  return {
    messageId: message.properties.messageId ? String(message.properties.messageId) : null,
    type: message.properties.type ? String(message.properties.type) : null,
    reason: headerString(headers, Headers.deadReason) ?? null,
    error: headerString(headers, Headers.lastError) ?? null,
    attempts: headerNumber(headers, Headers.attempt) ?? null,
    firstSeen: headerString(headers, Headers.firstFailedAt) ?? null,
    deadAt: headerString(headers, Headers.deadAt) ?? null,
    correlationId: message.properties.correlationId ? String(message.properties.correlationId) : null,
    preview: message.content.toString('utf8').slice(0, 200),
  };
};

/**
 * Reads the dead-letter queue without taking anything out of it: each message is fetched unacked
 * and the channel is closed at the end, which hands them all back to the queue (in their order).
 * Up to `limit` messages (default 1000); a consumer must not be attached meanwhile (none is: the
 * dead-letter queue has no consumer by design).
 */
export async function listDeadLetters(model: ChannelModel, queue: string, limit = 1_000): Promise<DeadLetter[]> {
  const channel = await model.createChannel();
  // A missing queue closes the channel with an error; the rejected call reports it, the event must not crash the process.
  channel.on('error', () => undefined);
  try {
    // A snapshot of what is there now; what arrives meanwhile is for the next look.
    const { messageCount } = await channel.checkQueue(deadQueueName(queue));
    const letters: DeadLetter[] = [];
    while (letters.length < Math.min(limit, messageCount)) {
      const message = await channel.get(deadQueueName(queue), { noAck: false });
      if (message === false) break;
      letters.push(describe(message));
    }
    return letters;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/**
 * Sends dead letters back to their consumer queue (not to the exchange: the other consumers of that
 * type handled it already) with the attempt counter reset, each confirmed before its dead copy is
 * acked: a crash in between leaves a copy in both places, never in neither. Messages that are not
 * selected go back to the dead-letter queue untouched. Returns the replayed letters.
 */
export async function replayDeadLetters(model: ChannelModel, queue: string, selection: ReplaySelection): Promise<DeadLetter[]> {
  if (!selection.all && !selection.messageId) throw new Error('say which dead letters to replay: a message id, or all');
  const deadQueue = deadQueueName(queue);
  const channel = await model.createConfirmChannel();
  channel.on('error', () => undefined);
  try {
    // Only what is there now: a replayed message that fails again comes back to this queue while we
    // are still reading it, and must not be replayed again in the same run (that would loop forever).
    const { messageCount } = await channel.checkQueue(deadQueue);
    const replayed: DeadLetter[] = [];
    for (let read = 0; read < messageCount; read += 1) {
      const message = await channel.get(deadQueue, { noAck: false });
      if (message === false) break;
      const letter = describe(message);
      if (!selection.all && letter.messageId !== selection.messageId) continue; // stays unacked: returns on close
      const headers = copyHeaders(message.properties.headers);
      const target = headerString(headers, Headers.originalQueue) ?? consumerQueueOfDeadLetters(deadQueue);
      for (const name of [Headers.attempt, Headers.deadReason, Headers.deadAt, Headers.lastError, Headers.firstFailedAt, Headers.originalQueue, 'x-original-routing-key']) delete headers[name];
      headers[Headers.replayedAt] = new Date().toISOString();
      headers[Headers.replayCount] = (headerNumber(message.properties.headers, Headers.replayCount) ?? 0) + 1;
      await publishConfirmed(channel, '', target, message.content, republishProperties(message, headers));
      channel.ack(message);
      replayed.push(letter);
    }
    return replayed;
  } finally {
    await channel.close().catch(() => undefined);
  }
}
