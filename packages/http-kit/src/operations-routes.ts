import * as t from 'io-ts';
import type { Registry } from 'prom-client';
import type { RestApi } from './openapi/rest-api.js';
import type { Readiness } from './readiness.js';

const HealthView = t.type({ status: t.literal('ok') }, 'Health');
const CheckView = t.intersection([
  t.type({ status: t.keyof({ up: null, down: null }), durationMs: t.number }),
  t.partial({ error: t.string }),
], 'ReadinessCheck');
const ReadyView = t.type({ status: t.keyof({ ready: null, unavailable: null, draining: null }), checks: t.record(t.string, CheckView) }, 'Readiness');

/**
 * GET /health, /ready, /metrics and /openapi.json, registered through the RestApi like any route
 * so they are documented and the document covers every route the app serves.
 */
export function mountOperationsRoutes(api: RestApi, deps: { readonly registry: Registry; readonly readiness: Readiness }): void {
  api.route({
    method: 'get', path: '/health', operationId: 'health', tags: ['operations'], auth: 'none',
    summary: 'Liveness: the process answers',
    description: 'Always 200 while the process can answer. It checks no dependency: a slow peer must not get every instance restarted.',
    responses: { 200: { description: 'Alive', schema: HealthView } },
  }, (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  api.route({
    method: 'get', path: '/ready', operationId: 'ready', tags: ['operations'], auth: 'none',
    summary: 'Readiness: database, broker and peers reachable',
    description: '503 takes the instance out of rotation (it is not restarted); also 503 while shutting down.',
    responses: { 200: { description: 'Ready', schema: ReadyView }, 503: { description: 'Not ready, or draining; `checks` says which failed', schema: ReadyView } },
  }, async (ctx) => {
    const report = await deps.readiness.run();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = report.ready ? 200 : 503;
    ctx.body = { status: report.ready ? 'ready' : report.draining ? 'draining' : 'unavailable', checks: report.checks };
  });

  api.route({
    method: 'get', path: '/metrics', operationId: 'metrics', tags: ['operations'], auth: 'none',
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'Prometheus text exposition format', contentType: 'text/plain', schema: { type: 'string' } } },
  }, async (ctx) => {
    ctx.body = await deps.registry.metrics();
    ctx.type = deps.registry.contentType;
  });

  api.route({
    method: 'get', path: '/openapi.json', operationId: 'openapi', tags: ['operations'], auth: 'none',
    summary: 'This OpenAPI document',
    responses: { 200: { description: 'OpenAPI 3.1 document', schema: { type: 'object' } } },
  }, (ctx) => {
    ctx.body = api.document.toJSON();
  });
}
