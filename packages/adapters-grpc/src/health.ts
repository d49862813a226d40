import { status as Status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';

/** The statuses a service can be set to; UNKNOWN and SERVICE_UNKNOWN are the protocol's, not ours to set. */
export type ServingStatus = 'SERVING' | 'NOT_SERVING';

interface HealthCheckRequest { readonly service: string }
interface HealthCheckResponse { readonly status: ServingStatus | 'SERVICE_UNKNOWN' }

/**
 * grpc.health.v1.Health: per-service status ('' is the server as a whole), answered by Check and
 * pushed to Watch streams. Load balancers and `/ready` probes ask it; the server sets NOT_SERVING
 * before it stops, so peers drain away instead of meeting a closed port.
 */
export class HealthService {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<string, Set<ServerWritableStream<HealthCheckRequest, HealthCheckResponse>>>();

  set(service: string, status: ServingStatus): void {
    this.statuses.set(service, status);
    for (const call of this.watchers.get(service) ?? []) call.write({ status });
  }

  get(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  /** Every known service NOT_SERVING (about to stop). */
  setAllNotServing(): void {
    for (const service of this.statuses.keys()) this.set(service, 'NOT_SERVING');
  }

  /** Ends every Watch stream: open streams would otherwise hold a graceful shutdown until its bound. */
  endWatches(): void {
    for (const calls of this.watchers.values()) for (const call of calls) call.end();
    this.watchers.clear();
  }

  readonly implementation: UntypedServiceImplementation = {
    Check: (call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) => {
      const status = this.statuses.get(call.request.service);
      if (status === undefined) callback({ code: Status.NOT_FOUND, details: `unknown service ${JSON.stringify(call.request.service)}` });
      else callback(null, { status });
    },
    Watch: (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) => {
      const service = call.request.service;
      const calls = this.watchers.get(service) ?? new Set();
      this.watchers.set(service, calls);
      calls.add(call);
      call.on('cancelled', () => calls.delete(call));
      call.write({ status: this.statuses.get(service) ?? 'SERVICE_UNKNOWN' });
    },
  };
}
