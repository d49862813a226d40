import type { Channel } from 'amqplib';
import type { TestBroker } from './infrastructure.js';

/**
 * A channel on the test broker with its exchange declared and a probe queue bound to `#`, so a test
 * sees every message a process under test publishes (read them with nextMessageOfType). The probe
 * is named through `broker.queue`, so `broker.cleanup()` deletes it.
 */
export async function openProbe(broker: TestBroker): Promise<{ channel: Channel; probe: string }> {
  const channel = await (await broker.admin()).createChannel();
  await channel.assertExchange(broker.exchange, 'topic', { durable: true });
  const probe = broker.queue('probe');
  await channel.assertQueue(probe, { durable: false });
  await channel.bindQueue(probe, broker.exchange, '#');
  return { channel, probe };
}
