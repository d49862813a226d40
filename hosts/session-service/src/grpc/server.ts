import type { Container } from 'inversify';
import { GrpcServer } from '@conference/adapters-grpc';
import { runWithRequestId } from '@conference/http-kit';
import { GetSessionsByIds, ValidateSession } from '@conference/session';
import type { SessionServiceConfig } from '../config.js';
import { Logger } from '../tokens.js';
import { sessionGrpcService } from './session-grpc-service.js';

/**
 * The SessionService gRPC server (ValidateSession, GetSession, grpc.health.v1) on GRPC_PORT. Each
 * call runs inside the caller's x-request-id, like an HTTP request, so what the use case logs or
 * publishes carries it (DESIGN §3).
 */
export async function createGrpcServer(container: Container, config: Pick<SessionServiceConfig, 'HOST' | 'GRPC_PORT' | 'SHUTDOWN_TIMEOUT_MS'>): Promise<GrpcServer> {
  const [logger, validateSession, getSessionsByIds] = await Promise.all([
    container.getAsync<Logger>(Logger),
    container.getAsync(ValidateSession),
    container.getAsync(GetSessionsByIds),
  ]);
  return new GrpcServer({
    services: [sessionGrpcService({ validateSession, getSessionsByIds })],
    address: `${config.HOST}:${config.GRPC_PORT}`,
    logger: logger.child({ transport: 'grpc' }),
    // Calls are short reads; a third of the whole shutdown budget is plenty and leaves the rest to the other steps.
    shutdownTimeoutMs: Math.max(1000, Math.floor(config.SHUTDOWN_TIMEOUT_MS / 3)),
    around: (context, work) => runWithRequestId(context.requestId, work),
  });
}
