/**
 * Port: the logging surface adapters and workers need. The shape is pino's `(fields, message)`,
 * so a host passes its pino logger unchanged while packages stay free of a logging library.
 */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const line = (level: string, fields: Record<string, unknown>, message: string): string =>
  JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields });

/** JSON lines on stderr: the default, so a host that forgets to pass a logger still leaves a trace. */
export const jsonLogger: Logger = {
  info: (fields, message) => process.stderr.write(`${line('info', fields, message)}\n`),
  warn: (fields, message) => process.stderr.write(`${line('warn', fields, message)}\n`),
  error: (fields, message) => process.stderr.write(`${line('error', fields, message)}\n`),
};

/** For tests that provoke failures on purpose and do not want them in the test output. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const errorFields = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { error: error.message, errorName: error.name } : { error: String(error) };
