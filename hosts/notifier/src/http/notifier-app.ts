import { Readiness, RestApi, createHttpApp, createLogger, type HttpApp, type JwtVerifier } from '@conference/http-kit';
import type { ListAuditEntries } from '@conference/notifications';
import { registerAuditRoutes } from './audit-routes.js';

export const NOTIFIER_API_INFO = {
  title: 'Notifier',
  version: '1.0.0',
  description: 'The audit log of every message the platform carried (admins only), plus health, readiness and metrics.',
} as const;

export interface NotifierAppOptions {
  /** The use case behind GET /api/audit (`Notifier.listAuditEntries`). */
  readonly listAuditEntries: ListAuditEntries;
  /** Verifies the user service's access tokens (JwtVerifier.remote on JWKS_URL). */
  readonly verifier: JwtVerifier;
  /** Default: a JSON logger for the `notifier` service. */
  readonly logger?: ReturnType<typeof createLogger>;
  /** What GET /ready checks: the notifier's database and broker. */
  readonly readinessChecks?: readonly { readonly name: string; readonly run: () => Promise<unknown> }[];
  /** A check slower than this counts as down. Default 2000 ms. */
  readonly readinessTimeoutMs?: number;
  /** Collect process metrics into the app's registry. Default true. */
  readonly defaultMetrics?: boolean;
}

/** The notifier's small HTTP surface: /api/audit, /health, /ready, /metrics and /openapi.json through http-kit. */
export function createNotifierApp(options: NotifierAppOptions): HttpApp {
  const api = new RestApi({ info: NOTIFIER_API_INFO, verifier: options.verifier });
  registerAuditRoutes(api, options.listAuditEntries);
  const readiness = new Readiness(options.readinessTimeoutMs);
  for (const check of options.readinessChecks ?? []) readiness.add(check.name, check.run);
  return createHttpApp({
    service: 'notifier',
    logger: options.logger ?? createLogger('notifier'),
    api,
    readiness,
    ...(options.defaultMetrics === undefined ? {} : { defaultMetrics: options.defaultMetrics }),
  });
}
