import { createServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { silentLogger, type Logger } from '../logger.js';
import { clientConstructor } from '../proto.js';
import { GrpcServer, type GrpcServerOptions, type ServiceRegistration } from '../server.js';

/**
 * A real gRPC server on 127.0.0.1 for tests: port 0 picks a free port on the first start, and
 * `restart()` binds the same port again, so a client aimed at it sees its peer come back.
 */
export class TestGrpcServer {
  private current: GrpcServer | null = null;
  private boundPort = 0;

  constructor(private readonly options: Omit<GrpcServerOptions, 'address'> & { readonly port?: number }) {
    this.boundPort = options.port ?? 0;
  }

  get port(): number {
    if (this.boundPort === 0) throw new Error('the test server was never started');
    return this.boundPort;
  }

  /** `127.0.0.1:<port>` */
  get target(): string {
    return `127.0.0.1:${this.port}`;
  }

  get server(): GrpcServer {
    if (!this.current) throw new Error('the test server is not running');
    return this.current;
  }

  async start(): Promise<this> {
    if (this.current) throw new Error('the test server is already running');
    const server = new GrpcServer({ logger: silentLogger, shutdownTimeoutMs: 1000, ...this.options, address: `127.0.0.1:${this.boundPort}` });
    this.boundPort = await server.start();
    this.current = server;
    return this;
  }

  /** Graceful stop (as on a deploy). */
  async stop(): Promise<void> {
    const server = this.current;
    this.current = null;
    await server?.stop();
  }

  /** Cuts every connection at once (as a crash). */
  kill(): void {
    this.current?.forceStop();
    this.current = null;
  }

  /** Starts again on the same port. */
  async restart(): Promise<this> {
    await this.stop();
    return this.start();
  }
}

/** Starts a test server with these services on 127.0.0.1 and a free port. */
export async function startTestGrpcServer(services: readonly ServiceRegistration[], options: { logger?: Logger; around?: GrpcServerOptions['around'] } = {}): Promise<TestGrpcServer> {
  return new TestGrpcServer({ services, ...options }).start();
}

/** A port nothing listens on (bound, then released), for clients aimed at a peer that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export interface RawAnswer<Res> {
  readonly code: grpc.status;
  readonly details: string;
  readonly response: Res | null;
  readonly trailers: grpc.Metadata | null;
}

/**
 * Calls one rpc with a bare grpc-js client (no retries, no breaker), for tests that assert on the
 * exact status a server answers. Never rejects: a failure is an answer with its status.
 */
export async function rawUnary<Res = unknown>(
  service: string,
  target: string,
  rpc: string,
  request: unknown,
  options: { metadata?: grpc.Metadata; deadlineMs?: number; channel?: grpc.ChannelOptions } = {},
): Promise<RawAnswer<Res>> {
  const Client = clientConstructor(service);
  const client = new Client(target, grpc.credentials.createInsecure(), options.channel ?? {});
  const method = (client as unknown as Record<string, unknown>)[rpc];
  if (typeof method !== 'function') throw new Error(`${service} has no rpc ${rpc}`);
  try {
    return await new Promise<RawAnswer<Res>>((resolve) => {
      method.call(
        client,
        request,
        options.metadata ?? new grpc.Metadata(),
        { deadline: Date.now() + (options.deadlineMs ?? 5000) },
        (error: grpc.ServiceError | null, response: Res | undefined) =>
          resolve(error
            ? { code: error.code, details: error.details, response: null, trailers: error.metadata ?? null }
            : { code: grpc.status.OK, details: '', response: response ?? null, trailers: null }),
      );
    });
  } finally {
    client.close();
  }
}

/** Resilience timings small enough for tests to see a breaker open and half-open in well under a second. */
export const FAST_TEST_RESILIENCE = {
  deadlineMs: 500,
  attemptTimeoutMs: 250,
  retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 40 },
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 300 },
} as const;

/** Reconnect backoff to match: a restarted server is picked up within ~100 ms. */
export const FAST_TEST_CHANNEL = { initialReconnectBackoffMs: 50, maxReconnectBackoffMs: 100 } as const;

/** Runs `work` and says how long it took, in milliseconds (fractions kept). */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Calls `attempt` every `everyMs` until `done(answer)` holds, or fails after `timeoutMs`; resolves with the answer that passed. */
export async function eventually<T>(attempt: () => Promise<T>, done: (answer: T) => boolean, options: { timeoutMs?: number; everyMs?: number } = {}): Promise<T> {
  const end = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const answer = await attempt();
    if (done(answer)) return answer;
    if (Date.now() > end) throw new Error(`not done within ${options.timeoutMs ?? 5000} ms; last answer: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}

export interface OutageReport {
  /** How long the first call after the stop took to fail. */
  readonly firstFailureMs: number;
  /** Each of the calls made once the circuit was open, sorted. */
  readonly fastFailuresMs: readonly number[];
  /** From the restart to the first success. */
  readonly recoveredAfterMs: number;
}

/**
 * The outage every client adapter over a GrpcPeer must ride out, played against a real server:
 * the peer stops; the first call must fail (`isUnavailable`) within the deadline; once the circuit
 * is open `fastCalls` more calls must fail too; the peer restarts on the same port and a call must
 * succeed again (`isOk`) with the same client within the half-open time plus `recoveryMarginMs`.
 * Throws when a step fails; the caller asserts on the timings it reports.
 */
export async function playOutage<T>(options: {
  readonly server: TestGrpcServer;
  readonly call: () => Promise<T>;
  readonly isOk: (answer: T) => boolean;
  readonly isUnavailable: (answer: T) => boolean;
  readonly resilience: { readonly breaker: { readonly consecutiveFailures: number; readonly halfOpenAfterMs: number } };
  readonly fastCalls?: number;
  readonly recoveryMarginMs?: number;
}): Promise<OutageReport> {
  const { server, call, isOk, isUnavailable } = options;
  if (!isOk(await call())) throw new Error('the call must succeed before the outage');
  await server.stop();
  const first = await timed(call);
  if (!isUnavailable(first.value)) throw new Error(`a call to a stopped peer answered ${JSON.stringify(first.value)}`);
  // Each call makes at least one failed attempt, so this many calls open the circuit for sure.
  for (let i = 0; i < options.resilience.breaker.consecutiveFailures; i++) await call();
  const fastFailuresMs: number[] = [];
  for (let i = 0; i < (options.fastCalls ?? 50); i++) {
    const failed = await timed(call);
    if (!isUnavailable(failed.value)) throw new Error(`a call with the circuit open answered ${JSON.stringify(failed.value)}`);
    fastFailuresMs.push(failed.ms);
  }
  await server.start();
  const restarted = Date.now();
  await eventually(call, isOk, { timeoutMs: options.resilience.breaker.halfOpenAfterMs + (options.recoveryMarginMs ?? 3000) });
  return { firstFailureMs: first.ms, fastFailuresMs: fastFailuresMs.sort((a, b) => a - b), recoveredAfterMs: Date.now() - restarted };
}
