import { Counter, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';

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

/** Records one answered request: its method, route template, status and duration in seconds. */
export type HttpMetricsRecorder = (method: string, route: string, status: number, seconds: number) => void;

/**
 * The request counter and duration histogram on the registry (made there once, shared by every
 * recorder of that registry), labelled by method, ROUTE TEMPLATE and status. The metrics live on
 * the registry given (one per app), so two apps in one process (the embedded profile) or in one
 * test run do not collide in prom-client's global registry.
 */
export function httpMetricsRecorder(options: HttpMetricsOptions): HttpMetricsRecorder {
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
  // String(status) per request. Looked up by route, then method, then status: three lookups of
  // strings whose hashes are cached beat building a key string per request. Route templates,
  // methods and statuses are few; the bound keeps a flood of odd methods from growing the maps
  // (beyond it, children are made and dropped).
  const children = new Map<string, Map<string, Map<number, LabelledChild>>>();
  let size = 0;
  return (method, route, status, seconds) => {
    let byMethod = children.get(route);
    let byStatus = byMethod?.get(method);
    let child = byStatus?.get(status);
    if (!child) {
      const labels = { method, route, status: String(status) };
      child = { counted: requests.labels(labels), timed: duration.labels(labels) };
      if (size < MAX_LABEL_SETS) {
        if (!byMethod) children.set(route, (byMethod = new Map()));
        if (!byStatus) byMethod.set(method, (byStatus = new Map()));
        byStatus.set(status, child);
        size++;
      }
    }
    child.counted.inc();
    child.timed.observe(seconds);
  };
}

interface LabelledChild {
  readonly counted: Counter.Internal;
  readonly timed: Histogram.Internal<(typeof LABELS)[number]>;
}

const existing = <M>(registry: Registry, name: string): M | undefined => registry.getSingleMetric(name) as M | undefined;
