export { type Logger, jsonLogger, silentLogger } from './logger.js';
export { Headers } from './headers.js';
export { AsyncLocalCorrelation, messageCorrelation } from './correlation.js';
export {
  AmqpConnection,
  type AmqpConnectionOptions,
  type ConnectionParticipant,
  type ReconnectOptions,
  DEFAULT_RECONNECT,
  backoffDelay,
  defaultAmqpUrl,
  redact,
} from './connection.js';
export {
  DEFAULT_EXCHANGE,
  DEFAULT_RETRY_DELAYS_MS,
  type ConsumerTopology,
  declareExchange,
  declareConsumerTopology,
  deadLetterQueueOf,
  consumerQueueOfDeadLetters,
  retryQueueOf,
  retryDelayFor,
  queuesOf,
} from './topology.js';
export { AmqpPublisher, type AmqpPublisherOptions, BrokerUnavailableError, envelopeProperties, publishConfirmed } from './publisher.js';
export { OutboxRelay, type OutboxRelayOptions, type RelayReport, type BatchPublisher } from './outbox-relay.js';
export {
  AmqpConsumer,
  type AmqpConsumerOptions,
  type MessageHandler,
  type DeliveryInfo,
  type RoutingPattern,
  UnprocessableMessageError,
  handledValue,
  republishProperties,
} from './consumer.js';
export { ServiceMessaging, messagingSettingsOf, type ServiceMessagingOptions, type ConsumerSpec, type MessagingSettings } from './service-messaging.js';
export { listDeadLetters, replayDeadLetters, type DeadLetter, type ReplaySelection } from './dead-letters.js';
export { KickingUnitOfWork, type RelayKick } from './kicking-unit-of-work.js';
export { BroadcastSubscription, type BroadcastSubscriptionOptions } from './broadcast-subscription.js';
