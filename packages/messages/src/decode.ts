import { isLeft } from 'fp-ts/lib/Either.js';
import { DomainError, MessageEnvelopeCodec, describeErrors, err, ok, type MessageEnvelope, type Result } from '@conference/kernel';
import { MessageContracts, isMessageType, type MessageData, type MessageType } from './contracts.js';

export type KnownMessage = { [K in MessageType]: MessageEnvelope<MessageData<K>> & { type: K } }[MessageType];

/**
 * Validates raw bytes-turned-JSON as an envelope of a known type with a valid payload.
 * A failure here means the message is malformed: it can never succeed and goes to the dead letters.
 */
export function decodeMessage(raw: unknown): Result<KnownMessage, DomainError> {
  const envelope = MessageEnvelopeCodec.decode(raw);
  if (isLeft(envelope)) {
    return err(DomainError.validation('MESSAGE.MALFORMED_ENVELOPE', 'message is not a valid envelope', describeErrors(envelope.left)));
  }
  const { type } = envelope.right;
  if (!isMessageType(type)) {
    return err(DomainError.validation('MESSAGE.UNKNOWN_TYPE', `no contract for message type ${type}`));
  }
  const data = MessageContracts[type].decode(envelope.right.data);
  if (isLeft(data)) {
    return err(DomainError.validation('MESSAGE.MALFORMED_DATA', `data of ${type} is not valid`, describeErrors(data.left)));
  }
  return ok({ ...envelope.right, type, data: data.right } as KnownMessage);
}
