import type { DatabasePool } from 'slonik';
import { SystemClock, jsonLogger, type Clock, type Logger } from '@conference/kernel';
import { createDatabasePool, runMigrations } from '@conference/adapters-postgres';
import { AmqpConnection, defaultAmqpUrl, type ServiceMessaging } from '@conference/adapters-rabbitmq';
import { ListAuditEntries, type Mailer } from '@conference/notifications';
import { FileMailbox } from './adapters/mail/file-mailbox.js';
import { SmtpMailer, type SmtpMailerOptions } from './adapters/mail/smtp-mailer.js';
import { notifierMigrationSets } from './adapters/postgres/migrations.js';
import { createPostgresNotificationStore } from './adapters/postgres/notification-store.js';
import { NOTIFIER_LINGER_MS, createNotifierMessaging, type NotifierMessagingOptions } from './messaging/notifier-messaging.js';

/** Where email goes: a real SMTP server, or a folder (development and tests). */
export type MailConfig =
  | ({ readonly kind: 'smtp' } & SmtpMailerOptions)
  | { readonly kind: 'file'; readonly directory: string; readonly from?: string };

export interface NotifierConfig {
  /** The notifier's own database (audit log, sent emails). */
  readonly databaseUrl: string;
  /** Default AMQP_URL or the local broker. */
  readonly amqpUrl?: string;
  readonly mail: MailConfig;
  /** Apply pending migrations at start (default true; they run under an advisory lock, so instances may race). */
  readonly migrate?: boolean;
  /** Wait this long for the broker before returning (default: do not wait; consumers subscribe whenever it comes). */
  readonly waitForBrokerMs?: number;
  readonly messaging?: Omit<NotifierMessagingOptions, 'connection' | 'audit' | 'sentEmails' | 'mailer' | 'clock' | 'logger'>;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface Notifier {
  /** The use case behind `GET /api/audit` (admins only), for the HTTP host to mount. */
  readonly listAuditEntries: ListAuditEntries;
  readonly messaging: ServiceMessaging;
  readonly connection: AmqpConnection;
  readonly pool: DatabasePool;
  readonly mailer: Mailer;
  /** Graceful: consumers finish what they hold, then the broker connection, the mailer and the pool close. */
  stop(): Promise<void>;
}

export function createMailer(config: MailConfig): Mailer & { close?(): void } {
  if (config.kind === 'file') return new FileMailbox(config.directory, config.from);
  const { kind: _kind, ...smtp } = config;
  return new SmtpMailer(smtp);
}

/** Composes the notifier worker: database (migrated), mailer, broker connection and consumers. */
export async function startNotifier(config: NotifierConfig): Promise<Notifier> {
  const logger = config.logger ?? jsonLogger;
  const clock = config.clock ?? new SystemClock();
  const pool = await createDatabasePool(config.databaseUrl, { applicationName: 'notifier' });
  const mailer = createMailer(config.mail);
  const connection = new AmqpConnection({ url: config.amqpUrl ?? defaultAmqpUrl(), name: 'notifier', logger });
  try {
    if (config.migrate ?? true) await runMigrations(pool, await notifierMigrationSets());
    const lingerMs = config.messaging?.lingerMs ?? NOTIFIER_LINGER_MS;
    const { audit, sentEmails } = createPostgresNotificationStore(pool, { lingerMs });
    const messaging = createNotifierMessaging({ ...config.messaging, lingerMs, connection, audit, sentEmails, mailer, clock, logger });
    connection.start();
    if (config.waitForBrokerMs !== undefined) await connection.waitForConnection(config.waitForBrokerMs);
    await messaging.start();
    return {
      listAuditEntries: new ListAuditEntries(audit),
      messaging,
      connection,
      pool,
      mailer,
      async stop() {
        await messaging.stop();
        await connection.close();
        mailer.close?.();
        await pool.end();
      },
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    mailer.close?.();
    await pool.end().catch(() => undefined);
    throw error;
  }
}
