import type { Logger } from 'pino';

/** One thing to do on shutdown, in order: stop the HTTP server, stop consumers, close pools ... */
export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

/** Where signals come from: the process, or an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOptions {
  /** Everything must be done within this bound, or the process exits 1. Default 20 s (under Kubernetes' 30 s grace). */
  readonly timeoutMs?: number;
  readonly logger: Pick<Logger, 'info' | 'error' | 'warn'>;
  readonly signals?: readonly NodeJS.Signals[];
  /** For tests: the process to listen on and the exit to call. */
  readonly process?: SignalSource;
  readonly exit?: (code: number) => void;
}

export interface ShutdownHandle {
  /** Runs the steps as a signal would; resolves with the exit code it used. */
  shutdown(reason: string): Promise<number>;
  /** Stops listening for the signals. */
  dispose(): void;
}

/**
 * On SIGTERM/SIGINT runs `steps` one after another (each after the previous finished, so the
 * server stops taking requests before the pool they use closes). A failing step is logged and the
 * rest still run. Exits 0 when all succeeded within `timeoutMs`, 1 otherwise. A second signal
 * exits 1 at once: the operator asked twice.
 */
export function handleShutdownSignals(steps: readonly ShutdownStep[], options: ShutdownOptions): ShutdownHandle {
  const { logger } = options;
  const target: SignalSource = options.process ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const timeoutMs = options.timeoutMs ?? 20_000;
  let running: Promise<number> | undefined;

  const shutdown = (reason: string): Promise<number> => {
    running ??= (async () => {
      logger.info({ reason, steps: steps.map((s) => s.name) }, 'shutting down');
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const work = (async () => {
        let failed = false;
        for (const step of steps) {
          try {
            await step.run();
            logger.info({ step: step.name }, 'shutdown step done');
          } catch (error) {
            failed = true;
            logger.error({ step: step.name, err: error }, 'shutdown step failed');
          }
        }
        return failed ? 'failed' : 'done';
      })();
      const outcome = await Promise.race([work, deadline]);
      clearTimeout(timer);
      if (outcome === 'timeout') logger.error({ timeoutMs }, 'shutdown did not finish in time; exiting anyway');
      const code = outcome === 'done' ? 0 : 1;
      exit(code);
      return code;
    })();
    return running;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (running) {
      logger.warn({ signal }, 'second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) target.on(signal, onSignal);
  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) target.off(signal, onSignal);
    },
  };
}
