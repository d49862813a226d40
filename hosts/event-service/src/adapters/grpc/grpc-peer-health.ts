import { GrpcPeer, HEALTH_SERVICE, jsonLogger, type GrpcPeerOptions } from '@conference/adapters-grpc';

export type GrpcPeerHealthOptions = Omit<GrpcPeerOptions, 'service' | 'resilience'> & {
  /** The service whose status is asked (`''` is the server as a whole). */
  readonly serviceName: string;
  /** One attempt, no retries: a probe that waits longer than the probe timeout tells nothing. Default 1000 ms. */
  readonly timeoutMs?: number;
};

/**
 * Asks a peer's grpc.health.v1 `Check` whether a service is SERVING, for GET /ready (DESIGN §3:
 * readiness may check peers, liveness never does). A separate channel from the one the directory
 * calls through, so probes neither trip nor wait on the directory's circuit breaker.
 */
export class GrpcPeerHealth {
  constructor(
    private readonly peer: GrpcPeer,
    private readonly serviceName: string,
  ) {}

  static connect(options: GrpcPeerHealthOptions): GrpcPeerHealth {
    const timeoutMs = options.timeoutMs ?? 1000;
    const peer = new GrpcPeer({
      ...options,
      logger: options.logger ?? jsonLogger,
      service: HEALTH_SERVICE,
      resilience: { deadlineMs: timeoutMs, attemptTimeoutMs: timeoutMs, retry: { maxAttempts: 1 } },
    });
    return new GrpcPeerHealth(peer, options.serviceName);
  }

  /** Resolves when the peer says SERVING; rejects with what it said (or why it could not say). */
  async check(): Promise<void> {
    const answer = await this.peer.unary<{ service: string }, { status?: string }>('Check', { service: this.serviceName });
    if (!answer.ok) throw new Error(GrpcPeer.describe(answer.error));
    if (answer.value.status !== 'SERVING') throw new Error(`${this.serviceName || 'the server'} is ${answer.value.status ?? 'UNKNOWN'}`);
  }

  close(): void {
    this.peer.close();
  }
}
