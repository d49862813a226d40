export { type Result, type Ok, type Err, ok, err, unwrap } from './result.js';
export { DomainError, StaleVersionError, isDomainError, type DomainErrorKind, type FieldIssue } from './errors.js';
export { type Clock, SystemClock } from './clock.js';
export { type IdGenerator, RandomIdGenerator, isUuid } from './ids.js';
export { type Actor, type Role, ROLES, isAdmin, canOrganize, ownsOrAdministers } from './actor.js';
export {
  type MessageEnvelope,
  type OutgoingMessage,
  type Outbox,
  type Inbox,
  type Correlation,
  type CorrelationSource,
  MessageEnvelopeCodec,
  MessageFactory,
  noCorrelation,
} from './messages.js';
export { type UnitOfWork } from './unit-of-work.js';
export {
  type Page,
  type PageRequest,
  type CursorKey,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  encodeCursor,
  decodeCursor,
  clampLimit,
  compareKeys,
  pageByKey,
} from './pagination.js';
export {
  Uuid,
  type UuidBrand,
  IsoDateTime,
  Email,
  boundedString,
  isStorableText,
  boundedInt,
  strictObject,
  describeErrors,
  describeCodec,
  codecDescriptions,
  type CodecDescription,
  decodeWith,
} from './io/codecs.js';
export { type Logger, jsonLogger, silentLogger, errorFields } from './logger.js';
export { BatchedLookup, MicroBatcher, type MicroBatcherOptions, type BatchProcessor, type ItemOutcome } from './micro-batcher.js';
