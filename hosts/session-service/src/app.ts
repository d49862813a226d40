import type { Container } from 'inversify';
import { Readiness, RestApi, createHttpApp, type HttpApp } from '@conference/http-kit';
import type { SessionServiceConfig } from './config.js';
import { SERVICE_NAME, readinessChecksOf } from './container.js';
import { httpUseCasesOf, registerRoutes } from './http/routes.js';
import { AccessTokenVerifier, Logger } from './tokens.js';

export const API_INFO = {
  title: 'Session service',
  version: '1.0.0',
  description: 'Talks and workshops of the conference platform: their time, room and speakers (DESIGN §3, /api/sessions).',
} as const;

/**
 * The Koa app of the session service: http-kit's pipeline (request ids, logs, metrics, security
 * headers, problem+json, JSON body limits, /health, /ready, /metrics, /openapi.json) around the
 * /api/sessions routes. /ready runs the profile's checks (database, speaker service).
 */
export async function createApp(container: Container, config: SessionServiceConfig): Promise<HttpApp> {
  const [logger, verifier, useCases, checks] = await Promise.all([
    container.getAsync<Logger>(Logger),
    container.getAsync<AccessTokenVerifier>(AccessTokenVerifier),
    httpUseCasesOf(container),
    readinessChecksOf(container),
  ]);
  const api = new RestApi({ info: API_INFO, verifier });
  registerRoutes(api, useCases);
  const readiness = new Readiness();
  for (const check of checks) readiness.add(check.name, () => check.run());
  return createHttpApp({ service: SERVICE_NAME, logger, api, readiness, bodyLimitBytes: config.BODY_LIMIT_BYTES });
}
