import type { MessageFactory, OutgoingMessage } from '@conference/kernel';
import type { MessageData, MessageType } from '@conference/messages';

/** Builds an outgoing message whose payload is checked against the contract of its routing key at compile time. */
export function userMessage<K extends MessageType>(factory: MessageFactory, type: K, aggregateId: string, data: MessageData<K>): OutgoingMessage<MessageData<K>> {
  return factory.create(type, aggregateId, data);
}
