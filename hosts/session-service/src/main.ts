import { runMigrations } from '@conference/adapters-postgres';
import { AmqpConnection, KickingUnitOfWork, type BroadcastSubscription, type ServiceMessaging } from '@conference/adapters-rabbitmq';
import { SPEAKER_DELETED_CONSUMER, type SessionScope } from '@conference/session';
import { ConfigurationError, handleShutdownSignals, startHttpServer, type ShutdownStep } from '@conference/http-kit';
import { sessionMigrationSets } from './adapters/postgres/migrations.js';
import { createApp } from './app.js';
import { loadSessionServiceConfig, type SessionServiceConfig } from './config.js';
import { createContainer } from './container.js';
import { createGrpcServer } from './grpc/server.js';
import { createSessionMessaging, speakerCacheInvalidation } from './messaging/session-messaging.js';
import { CachedSpeakerDirectory, Clock, DatabasePool, IdGenerator, Logger } from './tokens.js';

/**
 * The session service process: configuration, database (migrated at start-up; the runner is safe
 * with many instances starting at once), container, HTTP and gRPC servers, then (postgres
 * profile) the broker connection with the speaker.deleted consumer and the outbox relay, and a
 * graceful shutdown on SIGTERM/SIGINT. The connection retries in the background: a broker that is
 * not up yet does not stop the service (outbox rows wait, /ready says `broker` down). The memory
 * profile has no broker.
 */

function configOrExit(): SessionServiceConfig {
  try {
    return loadSessionServiceConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      // Before the logger exists, and for a person reading a crash-looping container: plain text on stderr.
      process.stderr.write(`session-service cannot start. ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const container = await createContainer(config);
  const logger = await container.getAsync<Logger>(Logger);
  try {
    if (config.PROFILE === 'postgres') {
      const pool = await container.getAsync<DatabasePool>(DatabasePool);
      const report = await runMigrations(pool, await sessionMigrationSets());
      logger.info({ applied: report.applied, alreadyApplied: report.alreadyApplied }, 'migrations done');
    }
    const http = await createApp(container, config);

    let broker: { readonly connection: AmqpConnection; readonly messaging: ServiceMessaging; readonly invalidation: BroadcastSubscription } | undefined;
    if (config.PROFILE === 'postgres') {
      const connection = new AmqpConnection({ ...(config.AMQP_URL ? { url: config.AMQP_URL } : {}), name: 'session-service', logger });
      // The consumer uses the container's unit of work, clock and ids; the session.updated it
      // publishes carries the incoming message's correlation (messageCorrelation).
      const uow = await container.getAsync<KickingUnitOfWork<SessionScope>>(KickingUnitOfWork);
      const messaging = createSessionMessaging({
        connection,
        pool: await container.getAsync<DatabasePool>(DatabasePool),
        uow,
        clock: await container.getAsync<Clock>(Clock),
        ids: await container.getAsync<IdGenerator>(IdGenerator),
        logger,
        exchange: config.AMQP_EXCHANGE,
        ...(config.AMQP_QUEUE_SUFFIX ? { queue: `${SPEAKER_DELETED_CONSUMER}.${config.AMQP_QUEUE_SUFFIX}` } : {}),
        relay: { intervalMs: config.OUTBOX_RELAY_INTERVAL_MS },
      });
      uow.kickAfterCommit(messaging);
      // Without it the speaker cache passes every lookup through to the speaker service.
      const invalidation = speakerCacheInvalidation({
        connection,
        cache: await container.getAsync<CachedSpeakerDirectory>(CachedSpeakerDirectory),
        exchange: config.AMQP_EXCHANGE,
        logger,
      });
      http.readiness.add('broker', async () => {
        if (!connection.isConnected()) throw new Error('not connected to the broker');
      });
      broker = { connection, messaging, invalidation };
    }

    const server = await startHttpServer(http.app, { port: config.PORT, host: config.HOST });
    const grpc = await createGrpcServer(container, config);
    const grpcPort = await grpc.start();
    if (broker) {
      broker.connection.start();
      await broker.messaging.start();
      await broker.invalidation.start();
    }

    // Each step starts when the one before has finished, so nothing closes under work still using it.
    const steps: ShutdownStep[] = [
      // /ready answers 503 from now on, so the balancer stops choosing this instance; meanwhile it
      // still accepts and answers whatever reaches it.
      {
        name: 'readiness: draining',
        run: async () => {
          http.readiness.setDraining();
          await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_DELAY_MS));
        },
      },
      {
        name: 'http: stop accepting, answer requests in flight',
        run: async () => {
          if (!(await server.close(config.SHUTDOWN_TIMEOUT_MS / 2))) throw new Error('HTTP requests were still running at the bound and were cut');
        },
      },
      { name: 'grpc: stop accepting, finish calls in flight', run: () => grpc.stop() },
      // Messaging: stop the consumers, let the handlers in flight finish, stop the outbox relay,
      // close the AMQP channels and connection — after HTTP and gRPC, which may still write to the
      // outbox, and before the pool the relay reads from.
      ...(broker ? [{
        name: 'messaging: stop consumers and relay, close broker connection',
        run: async () => {
          await broker!.invalidation.stop();
          await broker!.messaging.stop(Math.floor(config.SHUTDOWN_TIMEOUT_MS / 4));
          await broker!.connection.close();
        },
      }] : []),
      // Pools and channels last: the database pool and the gRPC client channels (speaker service),
      // closed by their container bindings' deactivation.
      { name: 'close pools and channels', run: () => container.unbindAllAsync() },
    ];
    handleShutdownSignals(steps, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger });
    logger.info({ profile: config.PROFILE, httpPort: server.port, grpcPort }, 'session-service ready');
  } catch (error) {
    logger.error({ err: error }, 'session-service failed to start');
    await container.unbindAllAsync().catch(() => undefined);
    process.exit(1);
  }
}

await main();
