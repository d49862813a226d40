import type { Middleware } from 'koa';
import { Counter, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import { routeTemplateOf } from './route-template.js';

export interface HttpMetricsOptions {
  readonly registry: Registry;
  /** Also collect the process metrics (CPU, memory, event loop lag, GC) into this registry. Default true. */
  readonly defaultMetrics?: boolean;
  /** Histogram buckets in seconds. */
  readonly buckets?: readonly number[];
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LABELS = ['method', 'route', 'status'] as const;
const MAX_LABEL_SETS = 1000;

/**
 * Counts requests and observes their duration, labelled by method, ROUTE TEMPLATE and status.
 * The metrics live on the registry given (one per app), so two apps in one process (the embedded
 * profile) or in one test run do not collide in prom-client's global registry.
 */
export function httpMetrics(options: HttpMetricsOptions): Middleware {
  const { registry } = options;
  if (options.defaultMetrics !== false && !registry.getSingleMetric('process_cpu_user_seconds_total')) {
    collectDefaultMetrics({ register: registry });
  }
  const requests = existing<Counter<(typeof LABELS)[number]>>(registry, 'http_requests_total') ?? new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = existing<Histogram<(typeof LABELS)[number]>>(registry, 'http_request_duration_seconds') ?? new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route template and status',
    labelNames: LABELS,
    buckets: [...(options.buckets ?? DEFAULT_BUCKETS)],
    registers: [registry],
  });

  // One labelled child per method/route/status, made on first use, instead of a label object and
  // String(status) per request. Route templates, methods and statuses are few; the bound keeps a
  // flood of odd methods from growing the map (beyond it, children are made and dropped).
  const children = new Map<string, { readonly counted: Counter.Internal; readonly timed: Histogram.Internal<(typeof LABELS)[number]> }>();
  const childFor = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      const labels = { method, route, status: String(status) };
      child = { counted: requests.labels(labels), timed: duration.labels(labels) };
      if (children.size < MAX_LABEL_SETS) children.set(key, child);
    }
    return child;
  };

  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const child = childFor(ctx.method, routeTemplateOf(ctx), ctx.status);
      child.counted.inc();
      child.timed.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}

const existing = <M>(registry: Registry, name: string): M | undefined => registry.getSingleMetric(name) as M | undefined;
