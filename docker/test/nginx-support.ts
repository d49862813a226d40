import { spawnSync } from 'node:child_process';

/**
 * Whether nginx is on PATH. Without it the test is skipped with a message, unless REQUIRE_INFRA=1
 * (CI), where a missing server must fail the run rather than pass it silently.
 */
export function nginxAvailable(context: Mocha.Context): boolean {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (!probe.error && probe.status === 0) return true;
  const message = 'nginx is not installed (apt-get install -y nginx; scripts/ensure-infra.sh installs it)';
  if (process.env.REQUIRE_INFRA === '1') throw new Error(`${message}; REQUIRE_INFRA=1 requires it`);
  console.warn(`      skipped: ${message}`);
  context.skip();
  return false;
}
