import type { Container } from 'inversify';
import { Readiness, RestApi, createHttpApp, type HttpApp } from '@conference/http-kit';
import { CreateSpeaker, DeleteSpeaker, GetSpeaker, ListSpeakers, UpdateSpeaker } from '@conference/speaker';
import type { SpeakerConfig } from './config.js';
import { SERVICE_NAME } from './container.js';
import { registerSpeakerRoutes, type SpeakerRouteUseCases } from './http/speaker-routes.js';
import { AccessTokenVerifier, ReadinessChecks, ServiceLogger } from './tokens.js';

export const SPEAKER_API_INFO = {
  title: 'Speaker service',
  version: '1.0.0',
  description: 'Speaker profiles (DESIGN §3 /api/speakers), plus health, readiness and metrics.',
} as const;

export interface SpeakerAppOptions {
  /** Collect process metrics (CPU, memory, GC) into the app's registry. Default true; tests that build many apps turn it off. */
  readonly defaultMetrics?: boolean;
}

/** The use cases the routes call, resolved from the container once, here, not per request. */
export const speakerRouteUseCasesOf = (container: Container): SpeakerRouteUseCases => ({
  createSpeaker: container.get(CreateSpeaker),
  updateSpeaker: container.get(UpdateSpeaker),
  deleteSpeaker: container.get(DeleteSpeaker),
  getSpeaker: container.get(GetSpeaker),
  listSpeakers: container.get(ListSpeakers),
});

/** The speaker service's Koa app: http-kit's pipeline, /api/speakers, and the profile's readiness checks. */
export function createApp(container: Container, config: Pick<SpeakerConfig, 'READY_CHECK_TIMEOUT_MS'>, options: SpeakerAppOptions = {}): HttpApp {
  const api = new RestApi({ info: SPEAKER_API_INFO, verifier: container.get<AccessTokenVerifier>(AccessTokenVerifier) });
  registerSpeakerRoutes(api, speakerRouteUseCasesOf(container));
  const readiness = new Readiness(config.READY_CHECK_TIMEOUT_MS);
  for (const check of container.get<ReadinessChecks>(ReadinessChecks)) readiness.add(check.name, check.run);
  return createHttpApp({
    service: SERVICE_NAME,
    logger: container.get<ServiceLogger>(ServiceLogger),
    api,
    readiness,
    ...(options.defaultMetrics === undefined ? {} : { defaultMetrics: options.defaultMetrics }),
  });
}
