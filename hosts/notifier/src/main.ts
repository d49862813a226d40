/**
 * The notifier process: `node dist/main.js`. Configuration from the environment (see config.ts;
 * a wrong or missing variable prints which and exits 1); the notifier worker (its database,
 * migrated at start; the mailer; the broker connection, which retries in the background, and the
 * audit and email consumers); the HTTP server (GET /api/audit for admins, /health, /ready with
 * `database` and `broker`, /metrics); a graceful shutdown on SIGTERM/SIGINT. It provisions
 * nothing: its database exists (npm run db:migrate, or the platform's operator).
 */
import { sql } from 'slonik';
import { AUDIT_CONSUMER, EMAIL_CONSUMER } from '@conference/notifications';
import { ConfigurationError, JwtVerifier, createLogger, handleShutdownSignals, startHttpServer, type ShutdownStep } from '@conference/http-kit';
import { loadNotifierConfig, mailConfigOf, type NotifierEnvConfig } from './config.js';
import { createNotifierApp } from './http/notifier-app.js';
import { startNotifier, type Notifier } from './notifier.js';

const SERVICE_NAME = 'notifier';

function configOrExit(): NotifierEnvConfig {
  try {
    return loadNotifierConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${SERVICE_NAME}: ${error.message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
const logger = createLogger(SERVICE_NAME, { level: config.LOG_LEVEL });

let notifier: Notifier | undefined;
try {
  const suffix = config.AMQP_QUEUE_SUFFIX;
  notifier = await startNotifier({
    databaseUrl: config.DATABASE_URL,
    ...(config.AMQP_URL ? { amqpUrl: config.AMQP_URL } : {}),
    mail: mailConfigOf(config),
    migrate: true,
    messaging: {
      exchange: config.AMQP_EXCHANGE,
      ...(suffix ? { queues: { audit: `${AUDIT_CONSUMER}.${suffix}`, email: `${EMAIL_CONSUMER}.${suffix}` } } : {}),
    },
    logger,
  });
  const { pool, connection } = notifier;
  const http = createNotifierApp({
    listAuditEntries: notifier.listAuditEntries,
    verifier: JwtVerifier.remote(config.JWKS_URL, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    logger,
    readinessTimeoutMs: config.READY_CHECK_TIMEOUT_MS,
    readinessChecks: [
      { name: 'database', run: () => pool.query(sql.unsafe`SELECT 1`) },
      {
        name: 'broker',
        run: async () => {
          if (!connection.isConnected()) throw new Error('not connected to the broker');
        },
      },
    ],
  });
  const server = await startHttpServer(http.app, { port: config.PORT, host: config.HOST });
  const running = notifier;

  const steps: ShutdownStep[] = [
    { name: 'readiness: draining', run: async () => http.readiness.setDraining() },
    {
      name: 'http: close',
      run: async () => {
        const boundMs = Math.floor(config.SHUTDOWN_TIMEOUT_MS / 4);
        if (!(await server.close(boundMs))) throw new Error(`HTTP requests still running after ${boundMs} ms were cut off`);
      },
    },
    // Consumers finish the messages they hold, then the broker connection, the mailer and the pool close.
    { name: 'notifier: stop consumers, close broker, mailer and pool', run: () => running.stop() },
  ];
  handleShutdownSignals(steps, { logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  logger.info({ port: server.port, mail: config.MAIL, exchange: config.AMQP_EXCHANGE }, `${SERVICE_NAME} ready on port ${server.port}`);
} catch (error) {
  logger.fatal({ err: error }, `${SERVICE_NAME} failed to start`);
  await notifier?.stop().catch(() => undefined);
  process.exit(1);
}
