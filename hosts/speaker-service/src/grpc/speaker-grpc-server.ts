import type { Container } from 'inversify';
import { GrpcServer } from '@conference/adapters-grpc';
import { runWithRequestId } from '@conference/http-kit';
import { GetSpeaker, GetSpeakersByIds } from '@conference/speaker';
import type { SpeakerConfig } from '../config.js';
import { ServiceLogger } from '../tokens.js';
import { speakerGrpcService } from './speaker-grpc-service.js';

export interface SpeakerGrpcServerOptions {
  /** How long stop() lets calls in flight finish before cutting them. Default 5000 ms. */
  readonly shutdownTimeoutMs?: number;
  /** Default `0.0.0.0:<GRPC_PORT>`. */
  readonly address?: string;
}

/**
 * SpeakerService (GetSpeaker, BatchGetSpeakers) plus grpc.health.v1 on GRPC_PORT, over the same use
 * cases as the REST routes. Each call runs inside the caller's x-request-id, so whatever the use
 * case logs or publishes carries it (DESIGN §3).
 */
export function createSpeakerGrpcServer(container: Container, config: Pick<SpeakerConfig, 'GRPC_PORT'>, options: SpeakerGrpcServerOptions = {}): GrpcServer {
  return new GrpcServer({
    services: [speakerGrpcService({ getSpeaker: container.get(GetSpeaker), getSpeakersByIds: container.get(GetSpeakersByIds) })],
    address: options.address ?? `0.0.0.0:${config.GRPC_PORT}`,
    logger: container.get<ServiceLogger>(ServiceLogger),
    around: (context, work) => runWithRequestId(context.requestId, work),
    ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
  });
}
