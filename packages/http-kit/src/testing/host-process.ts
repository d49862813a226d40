import { spawn, type ChildProcess } from 'node:child_process';

export interface HostProcess {
  readonly child: ChildProcess;
  /** The HTTP port the host reported in its "ready" log line. */
  readonly port: number;
  /** Resolves with the exit code once the process has gone. */
  readonly exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

/** The hosts log one JSON line with their port (`port` or `httpPort`) when they are ready. */
const READY_LINE = /"(?:httpPort|port)":(\d+)[^\n]*ready/;

/**
 * Runs `node <main>` with exactly `env` (plus PATH) and resolves once it logged that it is ready, with
 * the port it bound (tests pass PORT=0). Rejects with its output when it exits first or times out.
 */
export function startHostProcess(main: string, env: Record<string, string>, options: { readonly timeoutMs?: number } = {}): Promise<HostProcess> {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timeoutMs = options.timeoutMs ?? 8_000;
  return new Promise<HostProcess>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const port = Number(READY_LINE.exec(output)?.[1] ?? 0);
      if (port > 0) {
        clearInterval(poll);
        resolve({ child, port, exited, output: () => output });
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(poll);
        if (child.exitCode === null) child.kill('SIGKILL');
        reject(new Error(`${main} ${child.exitCode === null ? `not ready within ${timeoutMs} ms` : `exited with ${child.exitCode} before it was ready`}:\n${output}`));
      }
    }, 25);
  });
}
