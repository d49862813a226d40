export {
  protoDir,
  PROTO_LOADER_OPTIONS,
  PROTO_FILES,
  SESSION_SERVICE,
  SPEAKER_SERVICE,
  HEALTH_SERVICE,
  loadContracts,
  serviceDefinition,
  clientConstructor,
} from './proto.js';
export { type Timestamp, toTimestamp, fromTimestamp } from './time.js';
export {
  ERROR_CODE_KEY,
  ERROR_ISSUES_KEY,
  statusOfError,
  kindOfStatus,
  statusName,
  statusOfDomainError,
  domainErrorOf,
} from './status.js';
export { REQUEST_ID_KEY, CALLER_KEY, type Caller, isSaneRequestId, outgoingMetadata, formatCaller, requestIdOf, callerOf } from './metadata.js';
export { type Logger, jsonLogger, silentLogger } from './logger.js';
export { HealthService, type ServingStatus } from './health.js';
export { GrpcServer, type GrpcServerOptions, type ServiceRegistration, type UnaryHandler, type CallContext, DEFAULT_GRPC_ADDRESS } from './server.js';
export {
  Resilience,
  type ResilienceOptions,
  type RetryOptions,
  type BreakerOptions,
  type ResilienceHooks,
  DEFAULT_RESILIENCE,
  PeerCallError,
  isRetryable,
  isPeerFailure,
} from './resilience.js';
export {
  normaliseTarget,
  parseGrpcTarget,
  channelOptions,
  createGrpcClient,
  GrpcPeer,
  type GrpcPeerOptions,
  type PeerFailure,
  type CallOptions,
} from './client.js';
