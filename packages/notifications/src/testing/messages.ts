import { randomUUID } from 'node:crypto';
import type { EnrollmentOutcomeData, KnownMessage, MessageData, MessageType } from '@conference/messages';

/** A decoded message of a type, as the consumer hands it to a handler, for tests. */
export function aMessage<K extends MessageType>(type: K, data: MessageData<K>, overrides: Partial<Omit<KnownMessage, 'type' | 'data'>> = {}): KnownMessage {
  return {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: '2027-01-10T09:00:00.000Z',
    source: 'event-service',
    correlationId: 'req-1',
    causationId: null,
    ...overrides,
    data,
  } as KnownMessage;
}

export const anOutcome = (overrides: Partial<EnrollmentOutcomeData> = {}): EnrollmentOutcomeData => ({
  eventId: '6f1c0000-0000-4000-8000-000000000001',
  eventTitle: 'TypeScript Summit',
  userId: '0a5e0000-0000-4000-9000-000000000001',
  email: 'ada@example.org',
  name: 'Ada Lovelace',
  status: 'enrolled',
  position: null,
  reason: null,
  ...overrides,
});
