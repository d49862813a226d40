import { createDatabasePool, runMigrations } from '@conference/adapters-postgres';
import { AmqpConnection, KickingUnitOfWork, type ServiceMessaging } from '@conference/adapters-rabbitmq';
import { ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER, type EventScope } from '@conference/event';
import { ConfigurationError, handleShutdownSignals, startHttpServer, type ShutdownStep } from '@conference/http-kit';
import { eventMigrationSets } from './adapters/postgres/migrations.js';
import { createApp } from './app.js';
import { loadEventServiceConfig, type EventServiceConfig } from './config.js';
import { SERVICE_NAME, createContainer } from './container.js';
import { createEventMessaging } from './messaging/event-messaging.js';
import { Clock, ContainerResources, IdGenerator, ServiceLogger } from './tokens.js';

/**
 * The event service process: configuration (a wrong value stops it here, naming the variable),
 * the database and its migrations (postgres profile; the runner takes an advisory lock, so many
 * instances may start at once), the container, the HTTP server, then (postgres profile) the broker
 * connection with the consumers and the outbox relay, and a graceful shutdown on SIGTERM/SIGINT.
 * The connection retries in the background: a broker that is not up yet does not stop the service
 * (outbox rows wait, /ready says `broker` down). The memory profile has no broker.
 */
async function main(): Promise<void> {
  let config: EventServiceConfig;
  try {
    config = loadEventServiceConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${SERVICE_NAME}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const pool = config.PROFILE === 'postgres'
    ? await createDatabasePool(config.DATABASE_URL!, { maxPoolSize: config.DB_POOL_SIZE, applicationName: SERVICE_NAME })
    : undefined;
  if (pool) await runMigrations(pool, await eventMigrationSets());

  const container = createContainer(config, pool ? { pool } : {});
  const logger = container.get<ServiceLogger>(ServiceLogger);
  const http = createApp(container, config);

  let broker: { readonly connection: AmqpConnection; readonly messaging: ServiceMessaging } | undefined;
  if (pool) {
    const connection = new AmqpConnection({ ...(config.AMQP_URL ? { url: config.AMQP_URL } : {}), name: SERVICE_NAME, logger });
    // The consumers use the container's unit of work, clock and ids; what they publish carries the
    // incoming message's correlation (the messaging's MessageFactory reads messageCorrelation).
    const uow = container.get<KickingUnitOfWork<EventScope>>(KickingUnitOfWork);
    const suffix = config.AMQP_QUEUE_SUFFIX ? `.${config.AMQP_QUEUE_SUFFIX}` : '';
    const messaging = createEventMessaging({
      connection,
      pool,
      uow,
      clock: container.get<Clock>(Clock),
      ids: container.get<IdGenerator>(IdGenerator),
      logger,
      exchange: config.AMQP_EXCHANGE,
      ...(suffix ? { queues: { enrollments: `${ENROLLMENT_CONSUMER}${suffix}`, programme: `${PROGRAMME_CONSUMER}${suffix}` } } : {}),
      relay: { intervalMs: config.OUTBOX_RELAY_INTERVAL_MS },
    });
    uow.kickAfterCommit(messaging);
    http.readiness.add('broker', async () => {
      if (!connection.isConnected()) throw new Error('not connected to the broker');
    });
    broker = { connection, messaging };
  }

  const server = await startHttpServer(http.app, { port: config.PORT, host: config.HOST });
  if (broker) {
    broker.connection.start();
    await broker.messaging.start();
  }

  // What is left of the bound after the HTTP server has had its share goes to the steps after it.
  const httpCloseMs = Math.max(1000, config.SHUTDOWN_TIMEOUT_MS - config.SHUTDOWN_DRAIN_DELAY_MS - 3000);
  const steps: ShutdownStep[] = [
    // /ready answers 503 from now on, so balancers stop routing here; the listener keeps accepting
    // for the drain delay, so connections already made (their request not read yet) are answered,
    // not reset when it closes.
    {
      name: 'readiness draining',
      run: async () => {
        http.readiness.setDraining();
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_DELAY_MS));
      },
    },
    {
      name: 'http server',
      run: async () => {
        if (!(await server.close(httpCloseMs))) throw new Error(`requests still in flight after ${httpCloseMs} ms were cut off`);
      },
    },
    // No gRPC server step: the event service serves no gRPC (it only calls the session service).
    // The session service's channels: nothing calls them once HTTP is closed (the consumers do not use them).
    { name: 'grpc clients', run: () => container.get<ContainerResources>(ContainerResources).close() },
    // Before the pool ends: stop the consumers (cancel, let in-flight handlers finish and ack), stop
    // the outbox relay (finish the batch awaiting confirms), close the AMQP channels and connection.
    ...(broker ? [{
      name: 'messaging',
      run: async () => {
        await broker!.messaging.stop(2000);
        await broker!.connection.close();
      },
    }] : []),
    { name: 'database pool', run: async () => pool?.end() },
  ];
  handleShutdownSignals(steps, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger });
  logger.info({ port: server.port, profile: config.PROFILE, pid: process.pid }, `${SERVICE_NAME} ready on port ${server.port}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${SERVICE_NAME} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
