import { setTimeout as delay } from 'node:timers/promises';
import { createDatabasePool, runMigrations } from '@conference/adapters-postgres';
import { AmqpConnection, KickingUnitOfWork, type ServiceMessaging } from '@conference/adapters-rabbitmq';
import type { SpeakerScope } from '@conference/speaker';
import { ConfigurationError, createLogger, handleShutdownSignals, startHttpServer, type ShutdownStep } from '@conference/http-kit';
import { speakerMigrationSets } from './adapters/postgres/migrations.js';
import { createApp } from './app.js';
import { loadSpeakerConfig, type SpeakerConfig } from './config.js';
import { SERVICE_NAME, createContainer } from './container.js';
import { createSpeakerGrpcServer } from './grpc/speaker-grpc-server.js';
import { createSpeakerMessaging } from './messaging/speaker-messaging.js';

/**
 * The speaker service process: configuration, database (migrated at start-up; the runner takes an
 * advisory lock, so many instances may start at once), container, HTTP and gRPC servers, then
 * (postgres profile) the broker connection and the outbox relay, kicked after every committed write
 * that added messages, and the shutdown steps run on SIGTERM/SIGINT. The connection retries in
 * the background: a broker that is not up yet does not stop the service (outbox rows wait, /ready
 * says `broker` down). The memory profile has no broker.
 */

function configOrExit(): SpeakerConfig {
  try {
    return loadSpeakerConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${SERVICE_NAME}: ${error.message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
const logger = createLogger(SERVICE_NAME, { level: config.LOG_LEVEL });

// The shutdown bound is shared out: the drain delay first, then half of the rest for HTTP requests
// in flight and a quarter for gRPC calls, leaving the last quarter for messaging and the pool.
// (No consumers here: the relay's round and the publisher's close take far less than their share.)
const afterDrainMs = config.SHUTDOWN_TIMEOUT_MS - config.SHUTDOWN_DRAIN_MS;
const httpCloseMs = Math.floor(afterDrainMs / 2);
const grpcCloseMs = Math.floor(afterDrainMs / 4);

try {
  const pool = config.PROFILE === 'postgres'
    ? await createDatabasePool(config.DATABASE_URL!, { maxPoolSize: config.DB_POOL_SIZE, applicationName: SERVICE_NAME })
    : undefined;
  if (pool) {
    const report = await runMigrations(pool, await speakerMigrationSets());
    logger.info({ applied: report.applied, alreadyApplied: report.alreadyApplied }, 'database migrated');
  }

  const container = createContainer(config, { ...(pool ? { pool } : {}), logger });
  const http = createApp(container, config);

  let broker: { readonly connection: AmqpConnection; readonly messaging: ServiceMessaging } | undefined;
  if (pool) {
    const connection = new AmqpConnection({ url: config.AMQP_URL, name: SERVICE_NAME, logger });
    const messaging = createSpeakerMessaging({ connection, pool, logger, exchange: config.AMQP_EXCHANGE, relay: { intervalMs: config.OUTBOX_RELAY_INTERVAL_MS } });
    container.get<KickingUnitOfWork<SpeakerScope>>(KickingUnitOfWork).kickAfterCommit(messaging);
    http.readiness.add('broker', async () => {
      if (!connection.isConnected()) throw new Error('not connected to the broker');
    });
    broker = { connection, messaging };
  }

  const server = await startHttpServer(http.app, { port: config.PORT });
  const grpc = createSpeakerGrpcServer(container, config, { shutdownTimeoutMs: grpcCloseMs });
  const grpcPort = await grpc.start();
  if (broker) {
    broker.connection.start();
    await broker.messaging.start();
  }

  // After the servers stopped taking work (a request may still have written an outbox row and
  // kicked the relay), before the pool the relay reads from: the relay finishes its round, the
  // publisher and the connection close.
  const messagingSteps: ShutdownStep[] = broker
    ? [{
        name: 'messaging',
        run: async () => {
          await broker.messaging.stop(Math.floor(afterDrainMs / 8));
          await broker.connection.close();
        },
      }]
    : [];

  const steps: ShutdownStep[] = [
    {
      // /ready answers 503 and gRPC health NOT_SERVING, so balancers stop sending new work; the
      // listeners stay open for SHUTDOWN_DRAIN_MS and serve whatever still arrives meanwhile.
      name: 'readiness draining',
      run: async () => {
        http.readiness.setDraining();
        grpc.health.setAllNotServing();
        await delay(config.SHUTDOWN_DRAIN_MS);
      },
    },
    {
      name: 'http server',
      run: async () => {
        if (!(await server.close(httpCloseMs))) throw new Error(`HTTP requests still running after ${httpCloseMs} ms were cut off`);
      },
    },
    { name: 'grpc server', run: () => grpc.stop() },
    ...messagingSteps,
    ...(pool ? [{ name: 'database pool', run: () => pool.end() }] : []),
  ];
  handleShutdownSignals(steps, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger });

  logger.info({ profile: config.PROFILE, httpPort: server.port, grpcPort }, `${SERVICE_NAME} ready`);
} catch (error) {
  logger.fatal({ err: error }, `${SERVICE_NAME} failed to start`);
  process.exit(1);
}
