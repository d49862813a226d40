import { isIPv4 } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { noCorrelation, type CorrelationSource, type DomainError, type Result } from '@conference/kernel';
import { jsonLogger, type Logger } from './logger.js';
import { outgoingMetadata } from './metadata.js';
import { serviceDefinition } from './proto.js';
import { PeerCallError, Resilience, type BreakerOptions, type ResilienceOptions, type RetryOptions } from './resilience.js';
import { domainErrorOf, statusName } from './status.js';

/**
 * A peer's address as grpc-js understands it. Accepted forms:
 * - `dns:///session-service:50051`: every address the name resolves to (Docker/Kubernetes
 *   services, several replicas behind one name), re-resolved when connections fail;
 * - `ipv4:127.0.0.1:50051,127.0.0.1:50052` (or `ipv6:[::1]:50051,...`): a fixed list;
 * - `host:port`: one name or address (grpc-js resolves it through DNS);
 * - `127.0.0.1:50051,127.0.0.1:50052`: a list of IPv4 addresses without the scheme, as an
 *   environment variable naturally holds it; turned into `ipv4:...`.
 * Anything else fails at start-up, not on the first call.
 */
export function normaliseTarget(target: string): string {
  const trimmed = target.trim();
  if (trimmed === '') throw new Error('a gRPC target is empty');
  if (/^(dns|ipv4|ipv6|unix|unix-abstract):/.test(trimmed)) return trimmed;
  const parts = trimmed.split(',').map((part) => part.trim());
  const hostPort = /^(.+):(\d{1,5})$/;
  for (const part of parts) {
    const match = hostPort.exec(part);
    if (!match || Number(match[2]) > 65535) throw new Error(`${JSON.stringify(part)} in gRPC target ${JSON.stringify(target)} is not host:port`);
  }
  if (parts.length === 1) return trimmed;
  if (parts.every((part) => isIPv4(hostPort.exec(part)![1]!))) return `ipv4:${parts.join(',')}`;
  throw new Error(`gRPC target ${JSON.stringify(target)}: a list must be IPv4 addresses (ipv4:a:p,b:p); for names use one DNS name with several records (dns:///name:port)`);
}

/**
 * Channel options of every client:
 * - round_robin over whatever the target resolves to, so the instances of a peer share the load
 *   (pick_first, the default, would send everything to one);
 * - a short reconnect backoff (grpc-js defaults to 1 s growing to 120 s): after a long outage a
 *   restarted peer is used again within `maxReconnectBackoffMs`, not minutes later.
 */
export function channelOptions(options: { initialReconnectBackoffMs?: number; maxReconnectBackoffMs?: number } = {}): grpc.ChannelOptions {
  return {
    'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    'grpc.initial_reconnect_backoff_ms': options.initialReconnectBackoffMs ?? 250,
    'grpc.max_reconnect_backoff_ms': options.maxReconnectBackoffMs ?? 2000,
  };
}

/** A grpc-js client at a target with our channel options; GrpcPeer calls through it by method path. */
export function createGrpcClient(target: string, options: grpc.ChannelOptions = channelOptions()): grpc.Client {
  return new grpc.Client(normaliseTarget(target), grpc.credentials.createInsecure(), options);
}

const emptyAnswer = (rpc: string) => Object.assign(new Error(`${rpc} answered nothing`), { code: grpc.status.INTERNAL, details: `${rpc} answered nothing` });

/** Why a peer call did not produce an answer. */
export interface PeerFailure {
  /** The status: the peer's, or UNAVAILABLE / DEADLINE_EXCEEDED of our own making (circuit open, out of time). */
  readonly status: grpc.status;
  /** The peer's DomainError (kind from the status, code from its trailers), or kind `unavailable` when it could not answer. */
  readonly error: DomainError;
  /** True when the circuit was open: the call failed fast without touching the network. */
  readonly circuitOpen: boolean;
}

export interface GrpcPeerOptions {
  /** The peer's name in logs (`speaker-service`). */
  readonly peer: string;
  /** Full name of the service called (`conference.speaker.v1.SpeakerService`). */
  readonly service: string;
  /** See normaliseTarget. */
  readonly target: string;
  /** Our own service name, sent in x-caller. */
  readonly callerService: string;
  /** Where the request id to pass on comes from (http-kit's requestCorrelation, or a message's). */
  readonly correlation?: CorrelationSource;
  /**
   * The user the work in progress acts for, sent in x-caller (e.g. read from the host's request
   * scope). Ports rarely carry the actor, so the adapter asks here; a call may still name one.
   */
  readonly actingUser?: () => string | null;
  readonly resilience?: Partial<Omit<ResilienceOptions, 'retry' | 'breaker'>> & { retry?: Partial<RetryOptions>; breaker?: Partial<BreakerOptions> };
  readonly channel?: { initialReconnectBackoffMs?: number; maxReconnectBackoffMs?: number; extra?: grpc.ChannelOptions };
  readonly logger?: Logger;
}

export interface CallOptions {
  /** The user the call acts for, sent in x-caller. */
  readonly actingUserId?: string | null;
}

/**
 * One peer service at one target: a channel (round robin over its instances), the resilience of
 * every call (deadline, retries, a circuit breaker shared by all calls to it) and the metadata
 * every call carries. `unary` never throws for a failed call: it answers a PeerFailure the client
 * adapter turns into its port's error.
 */
export class GrpcPeer {
  readonly resilience: Resilience;
  private readonly client: grpc.Client;
  private readonly definition: grpc.ServiceDefinition;
  private readonly correlation: CorrelationSource;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: GrpcPeerOptions) {
    this.definition = serviceDefinition(options.service);
    this.correlation = options.correlation ?? noCorrelation;
    this.resilience = new Resilience(options.resilience);
    this.client = createGrpcClient(options.target, { ...channelOptions(options.channel), ...options.channel?.extra });
    const logger = options.logger ?? jsonLogger;
    this.unsubscribe = this.resilience.onCircuitChange((circuit) =>
      (circuit === 'open' ? logger.warn : logger.info)({ peer: options.peer, target: options.target, circuit }, `circuit to ${options.peer} is ${circuit}`),
    );
  }

  get circuit(): 'closed' | 'open' | 'half-open' {
    return this.resilience.circuit;
  }

  async unary<Req, Res>(rpc: string, request: Req, options: CallOptions = {}): Promise<Result<Res, PeerFailure>> {
    const method = this.definition[rpc];
    if (!method || method.requestStream || method.responseStream) throw new Error(`${this.options.service} has no unary rpc ${rpc}`);
    const metadata = outgoingMetadata({
      requestId: this.correlation.current().correlationId,
      caller: { service: this.options.callerService, userId: options.actingUserId ?? this.options.actingUser?.() ?? null },
    });
    try {
      const value = await this.resilience.execute(
        (deadline) =>
          new Promise<Res>((resolve, reject) => {
            this.client.makeUnaryRequest<Req, Res>(
              method.path,
              method.requestSerialize as (value: Req) => Buffer,
              method.responseDeserialize as (bytes: Buffer) => Res,
              request,
              // Each attempt sends its own copy: grpc-js may still hold the previous one.
              metadata.clone(),
              { deadline },
              (error, response) => (error ? reject(error) : response === undefined ? reject(emptyAnswer(rpc)) : resolve(response)),
            );
          }),
      );
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof PeerCallError)) {
        // Not a gRPC failure (a bug on our side of the wire): still an answer, never a throw into the use case.
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { status: grpc.status.UNKNOWN, error: domainErrorOf({ code: grpc.status.UNKNOWN, details: message, metadata: new grpc.Metadata() }), circuitOpen: false } };
      }
      const failure = domainErrorOf({ code: error.code, details: error.details, metadata: error.metadata ?? new grpc.Metadata() });
      return { ok: false, error: { status: error.code, error: failure, circuitOpen: error.circuitOpen } };
    }
  }

  close(): void {
    this.unsubscribe();
    this.client.close();
  }

  /** For logs: `UNAVAILABLE (circuit open)`. */
  static describe(failure: PeerFailure): string {
    return `${statusName(failure.status)}${failure.circuitOpen ? ' (circuit open)' : ''}: ${failure.error.message}`;
  }
}

/**
 * The target as given, or why it is not one: for configuration checked at start-up rather than on
 * the first call (with http-kit's `envParsed`).
 */
export function parseGrpcTarget(raw: string): string | { error: string } {
  try {
    normaliseTarget(raw);
    return raw;
  } catch (error) {
    return { error: `must be a gRPC target such as dns:///service:50051 or ipv4:127.0.0.1:50051,127.0.0.1:50052 (${(error as Error).message})` };
  }
}
