import type { Container } from 'inversify';
import { Readiness, RestApi, createHttpApp, type HttpApp } from '@conference/http-kit';
import type { EventServiceConfig } from './config.js';
import { SERVICE_NAME } from './container.js';
import { eventRouteUseCases, registerEventRoutes } from './http/routes.js';
import { AccessTokenVerifier, ReadinessProbes, ServiceLogger } from './tokens.js';

export const OPENAPI_INFO = {
  title: 'Event service',
  version: '1.0.0',
  description: 'Events, their seats and enrollments, and their programme (DESIGN §3, /api/events).',
} as const;

export interface CreateAppOptions {
  /** Process metrics (CPU, memory, event loop) in /metrics. Default true; tests that build many apps turn them off. */
  readonly defaultMetrics?: boolean;
}

/**
 * The event service's Koa app: http-kit's pipeline (request ids, access log, metrics, security
 * headers, problem+json, JSON body rules, /health, /ready, /metrics, /openapi.json) with the
 * /api/events routes, and /ready checking what the profile's container says to check.
 */
export function createApp(container: Container, config: EventServiceConfig, options: CreateAppOptions = {}): HttpApp {
  const api = new RestApi({ info: OPENAPI_INFO, verifier: container.get<AccessTokenVerifier>(AccessTokenVerifier) });
  registerEventRoutes(api, eventRouteUseCases(container));
  const readiness = new Readiness(config.READY_CHECK_TIMEOUT_MS);
  for (const probe of container.get<ReadinessProbes>(ReadinessProbes)) readiness.add(probe.name, probe.run);
  return createHttpApp({
    service: SERVICE_NAME,
    logger: container.get<ServiceLogger>(ServiceLogger),
    api,
    readiness,
    defaultMetrics: options.defaultMetrics ?? true,
  });
}
