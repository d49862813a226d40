import Koa from 'koa';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { accessLog } from './access-log.js';
import { problemHandler } from './error-handler.js';
import { jsonBody } from './json-body.js';
import { httpMetrics } from './metrics.js';
import type { RestApi } from './openapi/rest-api.js';
import { DEFAULT_PROBLEM_OPTIONS, HttpProblem } from './problem.js';
import { Readiness } from './readiness.js';
import { requestId } from './request-id.js';
import { mountOperationsRoutes } from './operations-routes.js';
import { securityHeaders } from './security-headers.js';

export interface HttpAppOptions {
  /** The service name, on every log line and metric. */
  readonly service: string;
  readonly logger: Logger;
  /** The service's routes and OpenAPI document. createHttpApp adds /health, /ready, /metrics and /openapi.json to it. */
  readonly api: RestApi;
  /** Default: a new Registry for this app. */
  readonly registry?: Registry;
  /** Default: a Readiness with no checks (ready while not draining). */
  readonly readiness?: Readiness;
  /** Largest JSON body accepted. Default 64 kB. */
  readonly bodyLimitBytes?: number;
  /** Deepest JSON nesting accepted. Default 64. */
  readonly maxJsonDepth?: number;
  /** Retry-After on 503 problems. Default 5 s. */
  readonly retryAfterSeconds?: number;
  /** Prefix of problem `type` URIs. Default `urn:conference:problem:`. */
  readonly problemTypeBase?: string;
  /** Collect process metrics into the registry. Default true. */
  readonly defaultMetrics?: boolean;
}

export interface HttpApp {
  readonly app: Koa;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly api: RestApi;
}

/**
 * A Koa app with the plumbing every service shares, in this order (outermost first):
 *
 *  1. request id    — accept/generate X-Request-Id, echo it, AsyncLocalStorage for requestCorrelation
 *  2. access log    — one JSON line per request (sees the final status, including problems)
 *  3. metrics       — http_requests_total / http_request_duration_seconds by route template
 *  4. security headers — helmet's defaults, recorded once (security-headers.ts)
 *  5. problem handler — every error below becomes application/problem+json
 *  6. JSON body     — size/type/encoding/depth checks, ctx.request.body
 *  7. routes        — /health, /ready, /metrics, /openapi.json and the api's routes
 *  8. 404 / 405     — unmatched path or method, as problems
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const registry = options.registry ?? new Registry();
  const readiness = options.readiness ?? new Readiness();
  const { api, logger } = options;
  mountOperationsRoutes(api, { registry, readiness });

  const app = new Koa();
  // Errors are answered and logged by the problem handler; Koa's own handler would print to stderr.
  app.silent = true;
  app.on('error', (error: unknown) => logger.warn({ err: error }, 'error outside the request pipeline'));

  app.use(requestId());
  app.use(accessLog(logger));
  app.use(httpMetrics({ registry, defaultMetrics: options.defaultMetrics ?? true }));
  app.use(securityHeaders());
  app.use(problemHandler(logger, {
    typeBase: options.problemTypeBase ?? DEFAULT_PROBLEM_OPTIONS.typeBase,
    retryAfterSeconds: options.retryAfterSeconds ?? DEFAULT_PROBLEM_OPTIONS.retryAfterSeconds,
  }));
  app.use(jsonBody({ limitBytes: options.bodyLimitBytes, maxDepth: options.maxJsonDepth }));
  app.use(unmatchedRoutes());
  app.use(api.router.routes());
  return { app, registry, readiness, api };
}

/**
 * After the router: a path no route matches is a 404 problem; a path that matches with another
 * method is a 405 problem with Allow (OPTIONS answers 204 with Allow).
 */
function unmatchedRoutes(): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status !== 404) return;
    const matched = ((ctx as { matched?: { methods: string[] }[] }).matched ?? []).filter((layer) => layer.methods.length > 0);
    if (matched.some((layer) => layer.methods.includes(ctx.method))) {
      throw new Error(`The handler of ${ctx.method} ${ctx.path} set no response`);
    }
    if (matched.length === 0) throw new HttpProblem(404, 'ROUTE.NOT_FOUND', `No route serves ${ctx.method} ${ctx.path}`);
    const allowed = [...new Set(matched.flatMap((layer) => layer.methods)), 'OPTIONS'].join(', ');
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      ctx.set('Allow', allowed);
      return;
    }
    throw new HttpProblem(405, 'ROUTE.METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`, { headers: { Allow: allowed } });
  };
}
