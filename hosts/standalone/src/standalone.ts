import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { sql } from 'slonik';
import { JwtVerifier, createLogger, type HttpApp, type JwtSigner } from '@conference/http-kit';
import { RandomIdGenerator, SystemClock, type Logger } from '@conference/kernel';
import type { KnownMessage } from '@conference/messages';
import type { ConsumerSpec } from '@conference/adapters-rabbitmq';
import {
  EventServiceTokens,
  createApp as createEventApp,
  createContainer as createEventContainer,
  PostgresEventCatalog,
  createPostgresEventUnitOfWork,
  eventConsumers,
  eventMigrationSets,
  memoryConfig as eventMemoryConfig,
} from '@conference/event-service';
import { ListAuditEntries } from '@conference/notifications';
import { FileMailbox, createNotifierApp, createPostgresNotificationStore, notifierConsumers, notifierMigrationSets, type NotifierConsumerDeps } from '@conference/notifier';
import { ValidateSession } from '@conference/session';
import {
  SessionServiceTokens,
  createApp as createSessionApp,
  createContainer as createSessionContainer,
  memoryConfig as sessionMemoryConfig,
  sessionConsumers,
  sessionMigrationSets,
} from '@conference/session-service';
import { GetSpeakersByIds } from '@conference/speaker';
import {
  createApp as createSpeakerApp,
  createContainer as createSpeakerContainer,
  loadSpeakerConfig,
  speakerMigrationSets,
} from '@conference/speaker-service';
import { EnsureAdmin } from '@conference/user';
import {
  UserServiceTokens,
  createApp as createUserApp,
  createContainer as createUserContainer,
  loadUserServiceConfig,
  userMigrationSets,
} from '@conference/user-service';
import { openServiceDatabase, type EmbeddedDatabase } from './embedded-database.js';
import { InProcessBus, MessageCorrelation, type InProcessConsumer } from './in-process-bus.js';
import { InProcessSessionDirectory, InProcessSpeakerDirectory } from './in-process-directories.js';
import { createRouter } from './router.js';
import { persistedSigningKey } from './signing-key.js';

type Env = Readonly<Record<string, string | undefined>>;

const sqlSelect1 = sql.unsafe`SELECT 1`;

export interface StandaloneOptions {
  /** Where the databases, the signing key and the mailbox live. Created when missing. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** Log level of every service (pino levels; `silent` in tests). */
  readonly logLevel: string;
  /** The first admin, created or promoted at start (idempotent), as the user service does with ADMIN_EMAIL. */
  readonly admin?: { readonly email: string; readonly password: string; readonly name?: string };
  /**
   * Service tunables passed to every service's configuration loader (ACCESS_TOKEN_TTL, ARGON2_*, ...),
   * so the embedded profile reads the same variables as the services. Wiring variables that make no
   * sense in one process (PORT, DATABASE_URL, AMQP_URL, *_GRPC_TARGET, JWKS_*) are dropped.
   */
  readonly env?: Env;
  /** Relay polling interval (default 100 ms; writes through the HTTP server wake it at once). */
  readonly pollIntervalMs?: number;
  readonly retryDelaysMs?: readonly number[];
}

export interface Standalone {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly mailboxDir: string;
  readonly mailbox: FileMailbox;
  readonly databases: Readonly<Record<ServiceName, EmbeddedDatabase>>;
  readonly bus: InProcessBus;
  /** Milliseconds from the call to serving (databases opened and migrated, apps composed). */
  readonly startupMs: number;
  /** Graceful: stop taking requests, let those in flight finish, stop the bus, close the databases. */
  stop(timeoutMs?: number): Promise<void>;
}

type ServiceName = 'user' | 'event' | 'session' | 'speaker' | 'notifier';

/** Deployment wiring of the distributed form; meaningless (or harmful, like PORT) inside one process. */
const WIRING = new Set([
  'PORT', 'HOST', 'PROFILE', 'DATABASE_URL', 'DB_POOL_SIZE', 'AMQP_URL', 'AMQP_EXCHANGE', 'JWKS_URL', 'JWKS_JSON',
  'SESSION_GRPC_TARGET', 'SPEAKER_GRPC_TARGET', 'GRPC_PORT', 'GRPC_HOST', 'JWT_PRIVATE_KEY', 'JWT_PREVIOUS_KEYS',
  'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'ADMIN_NAME', 'TRUST_PROXY', 'DATA_DIR',
]);

const serviceEnv = (env: Env, logLevel: string): Record<string, string> => {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && !WIRING.has(key)) kept[key] = value;
  return { ...kept, LOG_LEVEL: logLevel };
};

/**
 * The consumers of the embedded profile: the SAME specs (queue name, bindings, handler) the hosts
 * give RabbitMQ, carried by the in-process bus instead. The queue name is what the use cases record
 * in their inbox, so a message is handled once either way.
 */
function consumersOf(parts: {
  readonly event: ReturnType<typeof createEventContainer>;
  readonly session: Awaited<ReturnType<typeof createSessionContainer>>;
  readonly notifier: Pick<NotifierConsumerDeps, 'audit' | 'sentEmails' | 'mailer'>;
  readonly correlation: MessageCorrelation;
}): InProcessConsumer[] {
  const clock = new SystemClock();
  const ids = new RandomIdGenerator();
  const specs: ConsumerSpec[] = [
    ...eventConsumers({ uow: parts.event.get<EventServiceTokens.EventUnitOfWork>(EventServiceTokens.EventUnitOfWork), clock, ids, correlation: parts.correlation }),
    ...sessionConsumers({ uow: parts.session.get<SessionServiceTokens.SessionUnitOfWork>(SessionServiceTokens.SessionUnitOfWork), clock, ids, correlation: parts.correlation }),
    ...notifierConsumers({ ...parts.notifier, clock }),
  ];
  return specs.map((spec) => ({
    name: spec.queue,
    types: spec.routingKeys,
    handle: (message: KnownMessage) =>
      spec.handler(message, {
        queue: spec.queue,
        attempt: 1,
        maxAttempts: 1,
        redelivered: false,
        routingKey: message.type,
        correlationId: message.correlationId ?? message.id,
      }),
  }));
}

/** An HTTP server that says "starting" until the services are composed, so the port is known (and JWKS_URL true) first. */
async function listen(port: number, host: string): Promise<{ server: Server; port: number; serve(handler: Parameters<typeof createServer>[1]): void }> {
  let handler: Parameters<typeof createServer>[1] | null = null;
  const server = createServer((req, res) => {
    if (handler) {
      handler(req, res);
      return;
    }
    const alive = (req.url ?? '').split('?')[0] === '/health';
    const body = JSON.stringify(alive ? { status: 'ok' } : { type: 'urn:conference:problem:unavailable', title: 'Starting', status: 503, detail: 'The platform is starting; try again in a moment' });
    res.writeHead(alive ? 200 : 503, { 'content-type': alive ? 'application/json' : 'application/problem+json', 'retry-after': '2' });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
  return { server, port: (server.address() as AddressInfo).port, serve: (h) => { handler = h; } };
}

/** Closes the server: no new connections, idle keep-alives closed now, the rest cut after `timeoutMs`. */
function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((done) => {
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      done();
    }, timeoutMs);
    deadline.unref();
    server.close(() => {
      clearTimeout(deadline);
      done();
    });
    server.closeIdleConnections();
  });
}

/**
 * The whole platform in this process (DESIGN §6, `npm start`): every service's container in its
 * postgres composition over its own embedded PostgreSQL (PGlite under DATA_DIR/db/<service>,
 * migrated with the service's migration sets), the peers' gRPC calls as in-process calls of the
 * same use cases, RabbitMQ as an in-process bus over the same outboxes and inboxes, JWTs signed by
 * the user service with a key kept in DATA_DIR and verified locally by the others, and one HTTP
 * server routing by prefix as the gateway does.
 */
export async function startStandalone(options: StandaloneOptions): Promise<Standalone> {
  const started = Date.now();
  const dataDir = resolve(options.dataDir);
  const mailboxDir = join(dataDir, 'mailbox');
  await mkdir(dataDir, { recursive: true });
  const level = options.logLevel;
  const logger: Logger = createLogger('standalone', { level });
  const env = serviceEnv(options.env ?? {}, level);

  const listening = await listen(options.port, options.host);
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${displayHost}:${listening.port}`;

  const opened: EmbeddedDatabase[] = [];
  try {
    const key = await persistedSigningKey(dataDir);
    if (key.created) logger.info({ file: key.file }, 'generated the access-token signing key (kept for later starts)');

    // One after another: PGlite runs on this thread, so opening them together gains nothing and
    // a failure in one leaves fewer half-open databases behind.
    const open = async (name: ServiceName, sets: Parameters<typeof openServiceDatabase>[1]['migrationSets']): Promise<EmbeddedDatabase> => {
      const database = await openServiceDatabase(name, { dataDir, migrationSets: sets });
      opened.push(database);
      if (database.migrations.applied.length > 0) logger.info({ service: name, applied: database.migrations.applied }, 'migrated');
      return database;
    };
    const databases: Record<ServiceName, EmbeddedDatabase> = {
      user: await open('user', await userMigrationSets()),
      event: await open('event', await eventMigrationSets()),
      session: await open('session', await sessionMigrationSets()),
      speaker: await open('speaker', await speakerMigrationSets()),
      notifier: await open('notifier', await notifierMigrationSets()),
    };

    // user: the postgres profile as is, with the persisted key (JWT_PRIVATE_KEY's part).
    const userConfig = { ...loadUserServiceConfig({ ...env, PROFILE: 'memory', JWT_PRIVATE_KEY: key.jwk }), PROFILE: 'postgres' as const };
    const user = await createUserContainer(userConfig, { pool: databases.user.pool, log: logger });
    const signer = user.get<JwtSigner>(UserServiceTokens.AccessTokenSigner);
    // Every other service verifies locally against the signer's JWKS, as they would after fetching it.
    const verifier = JwtVerifier.local(signer.jwks(), { issuer: userConfig.JWT_ISSUER, audience: userConfig.JWT_AUDIENCE });

    // speaker: the postgres profile with the pool and the verifier handed in.
    const speakerConfig = { ...loadSpeakerConfig({ ...env, PROFILE: 'memory' }), PROFILE: 'postgres' as const };
    const speaker = createSpeakerContainer(speakerConfig, { pool: databases.speaker.pool, verifier, logger: createLogger('speaker-service', { level }) });

    // session: the postgres profile, its pool, peer, verifier and readiness rebound.
    // JWKS_URL is the one this server really serves; the remote verifier built from it is replaced.
    const sessionConfig = { ...sessionMemoryConfig(env), PROFILE: 'postgres' as const, JWKS_URL: `${url}/api/auth/jwks.json` };
    const speakerDirectory = new InProcessSpeakerDirectory(speaker.get(GetSpeakersByIds));
    const sessionPool = databases.session.pool;
    const session = await createSessionContainer(sessionConfig);
    // Rebound before anything resolves them, so the profile's own pool and gRPC clients are never created.
    session.rebind<SessionServiceTokens.DatabasePool>(SessionServiceTokens.DatabasePool).toConstantValue(sessionPool);
    session.rebind<SessionServiceTokens.SpeakerDirectory>(SessionServiceTokens.SpeakerDirectory).toConstantValue(speakerDirectory);
    session.rebind<SessionServiceTokens.AccessTokenVerifier>(SessionServiceTokens.AccessTokenVerifier).toConstantValue(verifier);
    // No speaker service to probe over gRPC: the database is all /ready can check.
    session.unbind(SessionServiceTokens.ReadinessCheck);
    session.bind<SessionServiceTokens.ReadinessCheck>(SessionServiceTokens.ReadinessCheck).toConstantValue({ name: 'database', run: () => sessionPool.query(sqlSelect1) });

    // event: its postgres module insists on the gRPC target and JWKS_URL of the distributed form, so
    // the container is built without it and the postgres adapters the module would bind are bound
    // here instead: the pool, the PostgreSQL unit of work and catalog (one statement per read), the database readiness probe.
    const eventConfig = eventMemoryConfig(env);
    const sessionDirectory = new InProcessSessionDirectory(await session.getAsync(ValidateSession), logger);
    const event = createEventContainer(eventConfig, { sessionDirectory, verifier, logger: createLogger('event-service', { level }) });
    const eventPool = databases.event.pool;
    event.rebind<EventServiceTokens.EventUnitOfWork>(EventServiceTokens.EventUnitOfWork).toConstantValue(createPostgresEventUnitOfWork(eventPool));
    event.rebind<EventServiceTokens.EventCatalog>(EventServiceTokens.EventCatalog).toConstantValue(new PostgresEventCatalog(eventPool));
    event.bind<EventServiceTokens.DatabasePool>(EventServiceTokens.DatabasePool).toConstantValue(eventPool);
    event.rebind<EventServiceTokens.ReadinessProbes>(EventServiceTokens.ReadinessProbes).toConstantValue([{ name: 'database', run: () => eventPool.query(sqlSelect1) }]);

    // notifier: what startNotifier composes minus the broker; the mailbox is a folder under DATA_DIR.
    const notifierPool = databases.notifier.pool;
    const notifierStore = createPostgresNotificationStore(notifierPool);
    const mailbox = new FileMailbox(mailboxDir);

    const admin = options.admin;
    if (admin) {
      const result = await user.get(EnsureAdmin).execute({ email: admin.email, password: admin.password, name: admin.name ?? 'Administrator' });
      if (!result.ok) throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD: ${result.error.message}`);
    }

    const correlation = new MessageCorrelation();
    const bus = new InProcessBus(consumersOf({ event, session, notifier: { ...notifierStore, mailer: mailbox }, correlation }), {
      logger,
      correlation,
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    });
    bus.addOutbox('user', databases.user.pool).addOutbox('event', eventPool).addOutbox('session', sessionPool).addOutbox('speaker', databases.speaker.pool);

    const apps: Array<{ service: string; prefixes: string[]; http: HttpApp }> = [
      { service: 'user', prefixes: ['/api/auth', '/api/users'], http: createUserApp(user, userConfig, { logger: createLogger('user-service', { level }) }) },
      { service: 'event', prefixes: ['/api/events'], http: createEventApp(event, eventConfig, { defaultMetrics: false }) },
      { service: 'session', prefixes: ['/api/sessions'], http: await createSessionApp(session, sessionConfig) },
      { service: 'speaker', prefixes: ['/api/speakers'], http: createSpeakerApp(speaker, speakerConfig, { defaultMetrics: false }) },
      {
        service: 'notifier',
        prefixes: ['/api/audit'],
        http: createNotifierApp({
          listAuditEntries: new ListAuditEntries(notifierStore.audit),
          verifier,
          logger: createLogger('notifier', { level }),
          readinessChecks: [{ name: 'database', run: () => notifierPool.query(sqlSelect1) }],
          defaultMetrics: false,
        }),
      },
    ];
    const router = createRouter({ mounts: apps, afterWrite: () => bus.wake() });
    bus.start();
    listening.serve(router.handle);

    let stopping: Promise<void> | undefined;
    return {
      url,
      port: listening.port,
      dataDir,
      mailboxDir,
      mailbox,
      databases,
      bus,
      startupMs: Date.now() - started,
      stop(timeoutMs = 10_000) {
        stopping ??= (async () => {
          router.setDraining();
          await closeServer(listening.server, Math.max(1000, Math.floor(timeoutMs / 2)));
          await bus.stop();
          for (const database of [...opened].reverse()) {
            await database.close().catch((error: unknown) => logger.error({ database: database.name, error: String(error) }, 'closing the database failed'));
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeServer(listening.server, 1000);
    for (const database of opened.reverse()) await database.close().catch(() => undefined);
    throw error;
  }
}

