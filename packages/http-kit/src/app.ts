import Koa from 'koa';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { httpMetricsRecorder } from './metrics.js';
import type { RestApi } from './openapi/rest-api.js';
import { mountOperationsRoutes } from './operations-routes.js';
import { requestPipeline } from './pipeline.js';
import { DEFAULT_PROBLEM_OPTIONS } from './problem.js';
import { Readiness } from './readiness.js';

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
 * A Koa app with the plumbing every service shares: one pipeline middleware (pipeline.ts: request
 * id, ctx.state.log, security headers, problem+json, JSON body rules, 404/405, access log and
 * metrics), then the routes: /health, /ready, /metrics, /openapi.json and the api's routes.
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const registry = options.registry ?? new Registry();
  const readiness = options.readiness ?? new Readiness();
  const { api, logger } = options;
  mountOperationsRoutes(api, { registry, readiness });

  const app = new Koa();
  // Errors are answered and logged by the pipeline; Koa's own handler would print to stderr.
  app.silent = true;
  app.on('error', (error: unknown) => logger.warn({ err: error }, 'error outside the request pipeline'));

  app.use(requestPipeline({
    logger,
    metrics: httpMetricsRecorder({ registry, defaultMetrics: options.defaultMetrics ?? true }),
    problems: {
      typeBase: options.problemTypeBase ?? DEFAULT_PROBLEM_OPTIONS.typeBase,
      retryAfterSeconds: options.retryAfterSeconds ?? DEFAULT_PROBLEM_OPTIONS.retryAfterSeconds,
    },
    bodyLimitBytes: options.bodyLimitBytes,
    maxJsonDepth: options.maxJsonDepth,
  }));
  app.use(api.router.routes());
  return { app, registry, readiness, api };
}
