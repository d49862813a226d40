import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { isDomainError, type DomainError, type Result } from '@conference/kernel';
import { HealthService } from './health.js';
import { jsonLogger, type Logger } from './logger.js';
import { callerOf, requestIdOf, type Caller } from './metadata.js';
import { HEALTH_SERVICE, serviceDefinition } from './proto.js';
import { statusName, statusOfDomainError } from './status.js';

/** What a handler knows about the call besides its request. */
export interface CallContext {
  /** `/conference.session.v1.SessionService/ValidateSession` */
  readonly method: string;
  /** The caller's x-request-id, or a fresh one when it sent none (every log line gets one). */
  readonly requestId: string;
  readonly caller: Caller | null;
  /** When the caller stops waiting; null when it set no deadline. */
  readonly deadline: Date | null;
  readonly metadata: grpc.Metadata;
}

/**
 * A unary handler: expected failures come back as results (mapped to a status by kind), anything
 * thrown is a bug and becomes INTERNAL without taking the process down.
 */
export type UnaryHandler<Req, Res> = (request: Req, context: CallContext) => Promise<Result<Res, DomainError>>;

export interface ServiceRegistration {
  /** Full name, e.g. `conference.speaker.v1.SpeakerService`; also its name in the health service. */
  readonly name: string;
  /** One handler per rpc, keyed by its name in the .proto (`BatchGetSpeakers`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own request/response types; the map is checked against the definition at start-up
  readonly handlers: Readonly<Record<string, UnaryHandler<any, any>>>;
  /** Defaults to the definition loaded from proto/. */
  readonly definition?: grpc.ServiceDefinition;
}

export interface GrpcServerOptions {
  readonly services: readonly ServiceRegistration[];
  /** `host:port`; port 0 picks a free one (tests). Default `0.0.0.0:50051`. */
  readonly address?: string;
  readonly logger?: Logger;
  /** How long `stop()` lets calls in flight finish before cutting them off. Default 5000 ms. */
  readonly shutdownTimeoutMs?: number;
  /**
   * Runs each handler inside the host's request scope, e.g. http-kit's `runWithRequestId`, so
   * messages and logs written by the use case carry the caller's request id.
   */
  readonly around?: <T>(context: CallContext, work: () => Promise<T>) => Promise<T>;
  readonly serverOptions?: grpc.ServerOptions;
}

export const DEFAULT_GRPC_ADDRESS = '0.0.0.0:50051';

/**
 * A gRPC server with our services, grpc.health.v1, error mapping and a bounded graceful stop.
 * Every registered service starts SERVING once bound; `stop()` first marks everything NOT_SERVING.
 */
export class GrpcServer {
  readonly health = new HealthService();
  private readonly server: grpc.Server;
  private readonly logger: Logger;
  private boundPort: number | null = null;

  constructor(private readonly options: GrpcServerOptions) {
    this.logger = options.logger ?? jsonLogger;
    this.server = new grpc.Server(options.serverOptions);
    this.server.addService(serviceDefinition(HEALTH_SERVICE), this.health.implementation);
    for (const registration of options.services) {
      const definition = registration.definition ?? serviceDefinition(registration.name);
      this.server.addService(definition, this.implement(registration, definition));
    }
  }

  /** Binds and starts serving; resolves with the bound port. */
  async start(): Promise<number> {
    const address = this.options.address ?? DEFAULT_GRPC_ADDRESS;
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    this.boundPort = port;
    this.health.set('', 'SERVING');
    for (const { name } of this.options.services) this.health.set(name, 'SERVING');
    this.logger.info({ address, port, services: this.options.services.map((s) => s.name) }, 'gRPC server listening');
    return port;
  }

  get port(): number {
    if (this.boundPort === null) throw new Error('the gRPC server is not started');
    return this.boundPort;
  }

  /**
   * NOT_SERVING everywhere, then a graceful shutdown (no new calls; calls in flight finish) bounded
   * by `shutdownTimeoutMs`, then a forced one, so a stuck call can never hold the process open.
   */
  async stop(): Promise<void> {
    this.health.setAllNotServing();
    this.health.endWatches();
    const bound = this.options.shutdownTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const graceful = new Promise<boolean>((resolve) => this.server.tryShutdown(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), bound); });
    const clean = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    if (!clean) {
      this.logger.warn({ shutdownTimeoutMs: bound }, 'gRPC calls still running after the shutdown bound; cutting them off');
      this.server.forceShutdown();
    }
    this.boundPort = null;
  }

  /** Stops at once, cutting calls in flight (tests that play a crashed peer). */
  forceStop(): void {
    this.health.endWatches();
    this.server.forceShutdown();
    this.boundPort = null;
  }

  private implement(registration: ServiceRegistration, definition: grpc.ServiceDefinition): grpc.UntypedServiceImplementation {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [rpc, method] of Object.entries(definition)) {
      const handler = registration.handlers[rpc];
      if (!handler) throw new Error(`${registration.name}/${rpc} has no handler`);
      if (method.requestStream || method.responseStream) throw new Error(`${registration.name}/${rpc} streams; only unary handlers are supported`);
      implementation[rpc] = this.unary(method.path, handler);
    }
    const unknown = Object.keys(registration.handlers).filter((rpc) => !(rpc in definition));
    if (unknown.length > 0) throw new Error(`${registration.name} has no rpc ${unknown.join(', ')}`);
    return implementation;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see ServiceRegistration.handlers
  private unary(method: string, handler: UnaryHandler<any, any>): grpc.handleUnaryCall<unknown, unknown> {
    return (call, callback) => {
      const deadline = call.getDeadline();
      const context: CallContext = {
        method,
        requestId: requestIdOf(call.metadata) ?? randomUUID(),
        caller: callerOf(call.metadata),
        deadline: deadline instanceof Date ? deadline : Number.isFinite(deadline) ? new Date(deadline) : null,
        metadata: call.metadata,
      };
      const work = () => handler(call.request, context);
      // The promise chain ends in a catch, so neither a throw nor a rejected promise can escape as
      // an unhandled rejection and crash the process.
      Promise.resolve()
        .then(() => (this.options.around ? this.options.around(context, work) : work()))
        .then((result: Result<unknown, DomainError>) => {
          if (result.ok) return callback(null, result.value);
          const status = statusOfDomainError(result.error);
          this.logger.info({ method, requestId: context.requestId, caller: context.caller?.service, code: result.error.code, status: statusName(status.code) }, 'gRPC call failed as expected');
          callback(status);
        })
        .catch((error: unknown) => {
          if (isDomainError(error)) {
            // A use case that throws a DomainError (a repository's StaleVersionError, say) still means that kind.
            callback(statusOfDomainError(error));
            return;
          }
          this.logger.error({ method, requestId: context.requestId, error: error instanceof Error ? error.stack ?? error.message : String(error) }, 'gRPC handler failed');
          // The details say nothing of the cause: internals are for our logs, not for peers.
          callback({ code: grpc.status.INTERNAL, details: `internal error (request ${context.requestId})` });
        });
    };
  }
}
