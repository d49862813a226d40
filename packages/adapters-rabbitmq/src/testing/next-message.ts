import type { Channel } from 'amqplib';
import type { MessageEnvelope } from '@conference/kernel';
import { eventually } from './eventually.js';

/** The next message of `type` on `queue` (a test's probe queue); messages of other types are dropped. */
export const nextMessageOfType = (channel: Channel, queue: string, type: string, timeoutMs: number): Promise<MessageEnvelope> =>
  eventually(async () => {
    for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) {
      const envelope = JSON.parse(message.content.toString()) as MessageEnvelope;
      if (envelope.type === type) return envelope;
    }
    return null;
  }, timeoutMs, `a ${type} on the exchange`);
