/**
 * What GET /ready checks: the things this instance needs to serve (its database, broker, gRPC
 * peers). A failing check takes the instance out of rotation; it never restarts it (that is what
 * /health is for, and /health checks nothing).
 */
export interface ReadinessCheckResult {
  readonly status: 'up' | 'down';
  readonly durationMs: number;
  /** Why the check failed (its error message, or that it timed out). */
  readonly error?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly draining: boolean;
  readonly checks: Readonly<Record<string, ReadinessCheckResult>>;
}

interface Check {
  readonly run: () => Promise<unknown>;
  readonly timeoutMs: number;
}

export class Readiness {
  private readonly checks = new Map<string, Check>();
  private draining = false;

  /** `defaultTimeoutMs`: a check slower than this counts as down (default 2000 ms, under a typical probe timeout). */
  constructor(private readonly defaultTimeoutMs = 2000) {}

  /** Adds a check: it passes when `run` resolves within the timeout. Names are unique. */
  add(name: string, run: () => Promise<unknown>, options: { readonly timeoutMs?: number } = {}): this {
    if (this.checks.has(name)) throw new Error(`A readiness check named "${name}" is already registered`);
    this.checks.set(name, { run, timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs });
    return this;
  }

  /** From now on /ready answers 503, so the balancer stops sending new requests while we shut down. */
  setDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs every check concurrently, each bounded by its timeout. */
  async run(): Promise<ReadinessReport> {
    const entries = await Promise.all([...this.checks].map(async ([name, check]) => [name, await runCheck(check)] as const));
    const checks = Object.fromEntries(entries);
    return { ready: !this.draining && entries.every(([, r]) => r.status === 'up'), draining: this.draining, checks };
  }
}

async function runCheck(check: Check): Promise<ReadinessCheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not answer within ${check.timeoutMs} ms`)), check.timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check.run), timeout]);
    return { status: 'up', durationMs: elapsed(started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', durationMs: elapsed(started), error: message.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;
