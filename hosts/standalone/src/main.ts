import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { startStandalone, type Standalone } from './standalone.js';

/**
 * `npm start`: the whole platform in one process on one URL, nothing to install (DESIGN §6).
 *
 * Environment: PORT (default 8080; 0 picks a free one), HOST (default 127.0.0.1: a development
 * profile is not exposed to the network unless asked), DATA_DIR (default `.data/` at the repository
 * root, git-ignored), LOG_LEVEL (default info), ADMIN_EMAIL/ADMIN_PASSWORD/ADMIN_NAME (the first
 * admin), SHUTDOWN_TIMEOUT_MS (default 15000), and the services' own tunables (ACCESS_TOKEN_TTL,
 * ARGON2_*, ...).
 */

const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

function fail(message: string): never {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(2);
}

function intFrom(name: string, fallback: number, { min, max }: { min: number; max: number }): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) fail(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return value;
}

async function main(): Promise<void> {
  const port = intFrom('PORT', 8080, { min: 0, max: 65_535 });
  const shutdownTimeoutMs = intFrom('SHUTDOWN_TIMEOUT_MS', 15_000, { min: 1000, max: 120_000 });
  const host = process.env['HOST']?.trim() || '127.0.0.1';
  const dataDir = resolve(REPO_ROOT, process.env['DATA_DIR']?.trim() || '.data');
  const logLevel = process.env['LOG_LEVEL']?.trim() || 'info';
  const adminEmail = process.env['ADMIN_EMAIL']?.trim();
  const adminPassword = process.env['ADMIN_PASSWORD'];
  if (Boolean(adminEmail) !== Boolean(adminPassword)) fail('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  const adminName = process.env['ADMIN_NAME']?.trim();

  let platform: Standalone;
  try {
    platform = await startStandalone({
      dataDir,
      port,
      host,
      logLevel,
      env: process.env,
      ...(adminEmail && adminPassword ? { admin: { email: adminEmail, password: adminPassword, ...(adminName ? { name: adminName } : {}) } } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`port ${port} is taken; set PORT to another one (PORT=0 picks a free one)`);
    throw error;
  }

  const lines = [
    '',
    `Conference platform (embedded profile) ready in ${(platform.startupMs / 1000).toFixed(1)} s`,
    `  URL:      ${platform.url}`,
    `  data:     ${platform.dataDir}`,
    `  mailbox:  ${platform.mailboxDir}`,
    adminEmail ? `  admin:    ${adminEmail} (password from ADMIN_PASSWORD)` : '  admin:    none (set ADMIN_EMAIL and ADMIN_PASSWORD to have one)',
    '  stop:     Ctrl+C (the data stays for the next start)',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    // The bound: whatever is not closed by then is abandoned, and the exit code says so.
    const deadline = setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${shutdownTimeoutMs} ms; exiting anyway\n`);
      process.exit(1);
    }, shutdownTimeoutMs);
    deadline.unref();
    platform.stop(shutdownTimeoutMs - 500).then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
