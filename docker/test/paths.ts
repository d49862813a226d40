import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** docker/ (tests run from docker/dist/, compiled from docker/test/). */
export const dockerDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(dockerDir, '..');
export const k8sDir = join(dockerDir, 'k8s');
export const nginxDir = join(dockerDir, 'nginx');
export const renderScript = join(nginxDir, 'render.mjs');

/** DESIGN §1 default instance counts, plus the notifier worker. */
export const DEFAULT_REPLICAS: Readonly<Record<string, number>> = {
  'user-service': 3,
  'event-service': 5,
  'session-service': 2,
  'speaker-service': 1,
  notifier: 1,
};

export const hostExists = (host: string): boolean => existsSync(join(repoRoot, 'hosts', host, 'package.json'));
