/**
 * The user service process: `node dist/main.js`. Configuration from the environment (see
 * config.ts); a wrong or missing variable prints which and exits 1.
 *
 * Postgres profile: pool, migrations, container, first admin, HTTP server; then the broker
 * connection (it retries in the background: a broker that is not up yet does not stop the
 * service, outbox rows wait) and the outbox relay, kicked after every committed write that added
 * messages. /ready checks the database and the broker. The memory profile has no broker.
 */
import { ConfigurationError, createLogger, handleShutdownSignals, startHttpServer, type ShutdownStep } from '@conference/http-kit';
import { createDatabasePool, runMigrations } from '@conference/adapters-postgres';
import { AmqpConnection, KickingUnitOfWork, type ServiceMessaging } from '@conference/adapters-rabbitmq';
import { EnsureAdmin } from '@conference/user';
import type { DatabasePool } from 'slonik';
import { userMigrationSets } from './adapters/postgres/migrations.js';
import type { PostgresUserScope } from './adapters/postgres/unit-of-work.js';
import { createApp, type ServiceLogger } from './app.js';
import { loadUserServiceConfig, type UserServiceConfig } from './config.js';
import { createContainer } from './container.js';
import { createUserMessaging } from './messaging/user-messaging.js';

async function main(): Promise<void> {
  let config: UserServiceConfig;
  try {
    config = loadUserServiceConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) return fail(error.message);
    throw error;
  }
  const logger = createLogger('user-service', { level: config.LOG_LEVEL });

  let pool: DatabasePool | undefined;
  try {
    if (config.PROFILE === 'postgres') {
      pool = await createDatabasePool(config.DATABASE_URL!, { maxPoolSize: config.DB_POOL_SIZE, applicationName: 'user-service' });
      // Safe with many instances starting at once: the runner holds an advisory lock.
      const report = await runMigrations(pool, await userMigrationSets());
      logger.info({ applied: report.applied, alreadyApplied: report.alreadyApplied }, 'database migrated');
    }
    const container = await createContainer(config, { pool, log: logger });
    await ensureFirstAdmin(config, container.get(EnsureAdmin), logger);

    const http = createApp(container, config, { logger });

    let broker: { readonly connection: AmqpConnection; readonly messaging: ServiceMessaging } | undefined;
    if (pool) {
      const connection = new AmqpConnection({ ...(config.AMQP_URL ? { url: config.AMQP_URL } : {}), name: 'user-service', logger });
      const messaging = createUserMessaging({ connection, pool, logger, exchange: config.AMQP_EXCHANGE, relay: { intervalMs: config.OUTBOX_RELAY_INTERVAL_MS } });
      container.get<KickingUnitOfWork<PostgresUserScope>>(KickingUnitOfWork).kickAfterCommit(messaging);
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

    // In order: stop being chosen, finish what was accepted, then close what it used.
    const steps: ShutdownStep[] = [
      { name: 'readiness: draining', run: async () => http.readiness.setDraining() },
      {
        name: 'http: close',
        run: async () => {
          // Most of the bound for in-flight requests; the rest for the steps after.
          if (!(await server.close(Math.floor(config.SHUTDOWN_TIMEOUT_MS * 0.75)))) throw new Error('in-flight requests were cut at the deadline');
        },
      },
      // After HTTP (requests may still write outbox rows and kick the relay), before the pool (the
      // relay reads the outbox through it): the relay finishes its round, then the connection closes.
      ...(broker ? [{
        name: 'messaging: stop relay, close broker connection',
        run: async () => {
          await broker!.messaging.stop(Math.floor(config.SHUTDOWN_TIMEOUT_MS * 0.1));
          await broker!.connection.close();
        },
      }] : []),
      ...(pool ? [{ name: 'database: end pool', run: () => pool!.end() }] : []),
    ];
    handleShutdownSignals(steps, { logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
    logger.info({ port: server.port, profile: config.PROFILE, trustProxy: config.TRUST_PROXY }, `user-service ready on port ${server.port}`);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      await pool?.end().catch(() => undefined);
      return fail(error.message);
    }
    logger.fatal({ err: error }, 'user-service failed to start');
    await pool?.end().catch(() => undefined);
    process.exit(1);
  }
}

/**
 * The first admin from ADMIN_EMAIL / ADMIN_PASSWORD / ADMIN_NAME. Every instance runs it at start-up;
 * EnsureAdmin is idempotent and retries the race between instances, so only one account results.
 */
async function ensureFirstAdmin(config: UserServiceConfig, ensureAdmin: EnsureAdmin, logger: ServiceLogger): Promise<void> {
  if (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD) return;
  const result = await ensureAdmin.execute({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, name: config.ADMIN_NAME });
  if (!result.ok) {
    // Only input rules fail here (bad email, short password): the configuration is wrong.
    const variable = result.error.issues[0]?.path === 'name' ? 'ADMIN_NAME' : result.error.issues[0]?.path === 'password' ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL';
    throw new ConfigurationError([{ variable, message: result.error.message }]);
  }
  logger.info({ userId: result.value.user.id, outcome: result.value.outcome }, 'first admin ensured');
}

function fail(message: string): never {
  process.stderr.write(`user-service: ${message}\n`);
  process.exit(1);
}

await main();
