import { status as Status, type Metadata } from '@grpc/grpc-js';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { statusName } from './status.js';

export interface RetryOptions {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** The cap of the first backoff; doubles per attempt up to `maxDelayMs`; the wait is random below the cap (full jitter). */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface BreakerOptions {
  /** Failed attempts in a row that open the circuit. */
  readonly consecutiveFailures: number;
  /** How long it stays open before one probe call is let through (half-open). */
  readonly halfOpenAfterMs: number;
}

export interface ResilienceOptions {
  /** The budget of one call, retries and backoff included: the caller has an answer by then. */
  readonly deadlineMs: number;
  /** The most one attempt may take (capped by what is left of the deadline), so a hung instance leaves time for a retry. */
  readonly attemptTimeoutMs: number;
  readonly retry: RetryOptions;
  readonly breaker: BreakerOptions;
}

/**
 * Defaults sized for a REST request that waits on the call: an answer, or a 503, within 1.5 s;
 * three attempts (a restarting instance or a round-robin pick of a dead one costs one retry);
 * the circuit opens after 5 failed attempts in a row (two calls to a dead peer) and probes every 5 s.
 */
export const DEFAULT_RESILIENCE: ResilienceOptions = {
  deadlineMs: 1500,
  attemptTimeoutMs: 750,
  retry: { maxAttempts: 3, initialDelayMs: 25, maxDelayMs: 250 },
  breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5000 },
};

/** An attempt shorter than this is not worth starting: it could only end in DEADLINE_EXCEEDED. */
const MIN_ATTEMPT_MS = 10;

/** The failure of a call as a gRPC status: the peer's, or UNAVAILABLE/DEADLINE_EXCEEDED of our own making. */
export class PeerCallError extends Error {
  constructor(
    readonly code: Status,
    readonly details: string,
    /** True when the circuit was open and the last attempt was never made. */
    readonly circuitOpen: boolean,
    /** Attempts that reached the network. */
    readonly attempts: number,
    readonly metadata?: Metadata,
  ) {
    super(`${statusName(code)}: ${details}`);
    this.name = 'PeerCallError';
  }
}

/** Statuses worth another attempt: the call did not reach a healthy instance. Only for idempotent calls (every v1 rpc reads). */
export const isRetryable = (code: Status): boolean => code === Status.UNAVAILABLE || code === Status.DEADLINE_EXCEEDED;

/**
 * Statuses that count against the peer's circuit: it is down, overloaded, out of time or broken.
 * Answers like NOT_FOUND or INVALID_ARGUMENT are a healthy peer doing its job.
 */
export const isPeerFailure = (code: Status): boolean =>
  isRetryable(code) || code === Status.RESOURCE_EXHAUSTED || code === Status.INTERNAL || code === Status.UNKNOWN;

const codeOf = (error: unknown): Status | null =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: Status }).code : null;

export interface ResilienceHooks {
  readonly now?: () => number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Deadline, retries with jittered exponential backoff, and a circuit breaker (cockatiel) for one
 * peer. The breaker wraps each attempt, so an attempt that meets an open circuit ends the call at
 * once (no waiting out a backoff for a peer known to be down), and while open every call fails
 * within microseconds; after `halfOpenAfterMs` one call probes, and its success closes the circuit.
 */
export class Resilience {
  readonly options: ResilienceOptions;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: Partial<Omit<ResilienceOptions, 'retry' | 'breaker'>> & { retry?: Partial<RetryOptions>; breaker?: Partial<BreakerOptions> } = {}, hooks: ResilienceHooks = {}) {
    this.options = {
      deadlineMs: options.deadlineMs ?? DEFAULT_RESILIENCE.deadlineMs,
      attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_RESILIENCE.attemptTimeoutMs,
      retry: { ...DEFAULT_RESILIENCE.retry, ...options.retry },
      breaker: { ...DEFAULT_RESILIENCE.breaker, ...options.breaker },
    };
    checkOptions(this.options);
    this.breaker = circuitBreaker(handleWhen((error) => { const code = codeOf(error); return code !== null && isPeerFailure(code); }), {
      halfOpenAfter: this.options.breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(this.options.breaker.consecutiveFailures),
    });
    this.now = hooks.now ?? Date.now;
    this.random = hooks.random ?? Math.random;
    this.sleep = hooks.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get circuit(): 'closed' | 'open' | 'half-open' {
    switch (this.breaker.state) {
      case CircuitState.Closed: return 'closed';
      case CircuitState.HalfOpen: return 'half-open';
      default: return 'open';
    }
  }

  /** Subscribes to circuit changes (for logs and metrics); returns the unsubscribe. */
  onCircuitChange(listener: (state: 'closed' | 'open' | 'half-open') => void): () => void {
    const subscription = this.breaker.onStateChange(() => listener(this.circuit));
    return () => subscription.dispose();
  }

  /** The wait before attempt `attempt + 1`: uniformly random below min(max, initial × 2^(attempt-1)). */
  backoffMs(attempt: number): number {
    const { initialDelayMs, maxDelayMs } = this.options.retry;
    const cap = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * cap);
  }

  /**
   * Runs `attempt` (given the absolute deadline of that attempt) until it succeeds, fails with a
   * status not worth retrying, runs out of attempts, or would outlive the call's deadline.
   * Rejects with a PeerCallError (or the attempt's own error when it carried a gRPC status).
   */
  async execute<T>(attempt: (deadline: Date) => Promise<T>): Promise<T> {
    const end = this.now() + this.options.deadlineMs;
    for (let n = 1; ; n++) {
      const left = end - this.now();
      if (left < MIN_ATTEMPT_MS) throw new PeerCallError(Status.DEADLINE_EXCEEDED, `no time left for attempt ${n} within ${this.options.deadlineMs} ms`, false, n - 1);
      const attemptDeadline = new Date(this.now() + Math.min(this.options.attemptTimeoutMs, left));
      try {
        return await this.breaker.execute(() => attempt(attemptDeadline));
      } catch (error) {
        if (error instanceof BrokenCircuitError) throw new PeerCallError(Status.UNAVAILABLE, 'circuit open: the peer failed repeatedly; not calling it until the half-open probe', true, n - 1);
        const code = codeOf(error);
        if (code === null) throw error;
        const failure = error as { code: Status; details?: string; metadata?: Metadata };
        const give = () => new PeerCallError(code, failure.details ?? statusName(code), false, n, failure.metadata);
        if (!isRetryable(code) || n >= this.options.retry.maxAttempts) throw give();
        const wait = this.backoffMs(n);
        if (this.now() + wait + MIN_ATTEMPT_MS > end) throw give();
        await this.sleep(wait);
      }
    }
  }
}

function checkOptions(options: ResilienceOptions): void {
  const positive = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  };
  positive('deadlineMs', options.deadlineMs);
  positive('attemptTimeoutMs', options.attemptTimeoutMs);
  positive('retry.maxAttempts', options.retry.maxAttempts);
  positive('retry.initialDelayMs', options.retry.initialDelayMs);
  positive('retry.maxDelayMs', options.retry.maxDelayMs);
  positive('breaker.consecutiveFailures', options.breaker.consecutiveFailures);
  positive('breaker.halfOpenAfterMs', options.breaker.halfOpenAfterMs);
}
