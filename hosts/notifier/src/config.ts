import * as t from 'io-ts';
import { DEFAULT_EXCHANGE } from '@conference/adapters-rabbitmq';
import { ConfigurationError, LOG_LEVELS, envChoice, envDuration, envOptional, envPort, envString, envUrl, loadConfig, type Env } from '@conference/http-kit';
import type { MailConfig } from './notifier.js';

export const MAIL_KINDS = ['file', 'smtp'] as const;


/**
 * The notifier's environment (docker-compose.yml and docker/k8s/notifier.yaml set DATABASE_URL,
 * AMQP_URL, JWKS_URL and MAILBOX_DIR or SMTP_URL). It provisions nothing: its database exists, and
 * it applies its own migrations at start (under an advisory lock, so instances may race).
 */
export const NotifierEnv = t.type({
  /** HTTP port (GET /api/audit, /health, /ready, /metrics); 0 lets the OS choose (tests). */
  PORT: envPort(3005, { allowZero: true }),
  HOST: envString('0.0.0.0'),
  /** The notifier's own database: audit log, sent-email ledger. */
  DATABASE_URL: envUrl({ protocols: ['postgres:', 'postgresql:'] }),
  /** The broker (default: the local one). */
  AMQP_URL: envOptional(envUrl({ protocols: ['amqp:', 'amqps:'] })),
  /** The topic exchange the services publish to; tests use one of their own. */
  AMQP_EXCHANGE: envString(DEFAULT_EXCHANGE),
  /** Appended to the consumer queue names (`notifier.audit.<suffix>`): tests and side-by-side stacks on one broker. */
  AMQP_QUEUE_SUFFIX: envOptional(envString()),
  /** The user service's public keys, which verify the admins' access tokens on GET /api/audit. */
  JWKS_URL: envUrl({ protocols: ['http:', 'https:'] }),
  JWT_ISSUER: envString('urn:conference:user-service'),
  JWT_AUDIENCE: envString('urn:conference:api'),
  /** `file` (one JSON file per email under MAILBOX_DIR) or `smtp` (SMTP_URL). Default: smtp when SMTP_URL is set, file otherwise. */
  MAIL: envOptional(envChoice(MAIL_KINDS)),
  MAILBOX_DIR: envString('.data/mailbox'),
  /** `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the first byte). */
  SMTP_URL: envOptional(envUrl({ protocols: ['smtp:', 'smtps:'] })),
  /** The sender of every email. */
  MAIL_FROM: envString('Conference Platform <no-reply@conference.localhost>'),
  LOG_LEVEL: envOptional(envChoice(LOG_LEVELS)),
  /** A readiness check (database, broker) slower than this counts as down. */
  READY_CHECK_TIMEOUT_MS: envDuration(2000),
  /** Bound on graceful shutdown, after which the process exits 1 anyway. */
  SHUTDOWN_TIMEOUT_MS: envDuration(20_000),
});

export type NotifierEnvConfig = Omit<t.TypeOf<typeof NotifierEnv>, 'MAIL' | 'LOG_LEVEL'> & {
  readonly MAIL: (typeof MAIL_KINDS)[number];
  readonly LOG_LEVEL: (typeof LOG_LEVELS)[number];
};

/** Reads and checks the notifier's configuration; throws a ConfigurationError naming every wrong variable (never its value). */
export function loadNotifierConfig(env: Env = process.env): NotifierEnvConfig {
  const raw = loadConfig(NotifierEnv, env);
  const config: NotifierEnvConfig = { ...raw, MAIL: raw.MAIL ?? (raw.SMTP_URL ? 'smtp' : 'file'), LOG_LEVEL: raw.LOG_LEVEL ?? 'info' };
  if (config.MAIL === 'smtp' && !config.SMTP_URL) throw new ConfigurationError([{ variable: 'SMTP_URL', message: 'is required when MAIL=smtp' }]);
  return config;
}

/** Where email goes, from MAIL, MAILBOX_DIR, SMTP_URL and MAIL_FROM. */
export function mailConfigOf(config: Pick<NotifierEnvConfig, 'MAIL' | 'MAILBOX_DIR' | 'SMTP_URL' | 'MAIL_FROM'>): MailConfig {
  if (config.MAIL === 'file') return { kind: 'file', directory: config.MAILBOX_DIR, from: config.MAIL_FROM };
  const url = new URL(config.SMTP_URL!);
  const secure = url.protocol === 'smtps:';
  return {
    kind: 'smtp',
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    from: config.MAIL_FROM,
  };
}
