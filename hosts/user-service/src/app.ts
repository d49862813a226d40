import type { Container } from 'inversify';
import { sql } from 'slonik';
import { Readiness, RestApi, createHttpApp, type HttpApp, type createLogger } from '@conference/http-kit';
import type { UserServiceConfig as Config } from './config.js';
import { registerUserServiceRoutes, routeDepsFrom } from './http/routes.js';
import { AccessTokenVerifier, UserDatabasePool } from './tokens.js';

export type ServiceLogger = ReturnType<typeof createLogger>;

export interface CreateAppOptions {
  readonly logger: ServiceLogger;
  /** Collect process metrics (default true; tests building many apps turn it off). */
  readonly defaultMetrics?: boolean;
}

/**
 * The user service's Koa app: every route of DESIGN §3 for /api/auth and /api/users plus /health,
 * /ready, /metrics and /openapi.json. /ready checks the database in the postgres profile (the
 * broker check is added where messaging is composed).
 */
export function createApp(container: Container, config: Config, options: CreateAppOptions): HttpApp {
  const api = new RestApi({
    info: { title: 'Conference user service', version: '1.0.0', description: 'Accounts, login sessions, access tokens (JWKS) and enrollment requests.' },
    verifier: container.get<AccessTokenVerifier>(AccessTokenVerifier),
  });
  registerUserServiceRoutes(api, routeDepsFrom(container));

  const readiness = new Readiness();
  if (container.isBound(UserDatabasePool)) {
    const pool = container.get<UserDatabasePool>(UserDatabasePool);
    readiness.add('database', () => pool.query(sql.unsafe`SELECT 1`));
  }
  const http = createHttpApp({
    service: 'user-service',
    logger: options.logger,
    api,
    readiness,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    defaultMetrics: options.defaultMetrics ?? true,
  });
  if (config.TRUST_PROXY) {
    // Behind nginx: ctx.ip from X-Forwarded-For. maxIpsCount 1 takes the LAST entry, the one our
    // proxy appended; the leftmost ones are whatever the client sent and could dodge throttling.
    http.app.proxy = true;
    http.app.maxIpsCount = 1;
  }
  return http;
}
