import { createDatabasePool, runMigrations } from '@conference/adapters-postgres';
import { ConfigurationError, handleShutdownSignals, startHttpServer, type ShutdownStep } from '@conference/http-kit';
import { eventMigrationSets } from './adapters/postgres/migrations.js';
import { createApp } from './app.js';
import { loadEventServiceConfig, type EventServiceConfig } from './config.js';
import { SERVICE_NAME, createContainer } from './container.js';
import { ContainerResources, ServiceLogger } from './tokens.js';

/**
 * The event service process: configuration (a wrong value stops it here, naming the variable),
 * the database and its migrations (postgres profile; the runner takes an advisory lock, so many
 * instances may start at once), the container, the HTTP server, and a graceful shutdown on
 * SIGTERM/SIGINT.
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
  const server = await startHttpServer(http.app, { port: config.PORT, host: config.HOST });

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
    // Messaging (composed by the lead from src/messaging/): insert here, before the pool ends:
    //   1. stop the consumers (cancel, let in-flight handlers finish and ack),
    //   2. stop the outbox relay (finish the batch awaiting confirms),
    //   3. close the AMQP channels and connection.
    { name: 'database pool', run: async () => pool?.end() },
  ];
  handleShutdownSignals(steps, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, logger });
  logger.info({ port: server.port, profile: config.PROFILE, pid: process.pid }, `${SERVICE_NAME} ready on port ${server.port}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${SERVICE_NAME} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
