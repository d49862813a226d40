import { EventEmitter } from 'node:events';
import { connect, type ChannelModel } from 'amqplib';
import { errorFields, jsonLogger, type Logger } from './logger.js';

/** The default broker address; AMQP_URL overrides it. */
export const defaultAmqpUrl = (): string => process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface ReconnectOptions {
  /** First delay after a failed connect or a lost connection (default 100 ms). */
  readonly initialDelayMs: number;
  /** Cap of the exponential backoff (default 10 s). */
  readonly maxDelayMs: number;
  /** Growth per failed attempt (default 2). */
  readonly factor: number;
  /** Share of each delay that is randomised, 0–1 (default 0.5): instances that lost the broker together do not return together. */
  readonly jitter: number;
}

export interface AmqpConnectionOptions {
  readonly url?: string;
  /** Shown in the broker's connection list, so an operator can tell the services apart. */
  readonly name?: string;
  /** Heartbeat in seconds (default 10): a dead TCP peer is noticed within about two of these. */
  readonly heartbeatSeconds?: number;
  /** How long one connect attempt may take (default 5 s). */
  readonly connectTimeoutMs?: number;
  readonly reconnect?: Partial<ReconnectOptions>;
  /** How long `close()` lets consumers finish the messages they are handling (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * Something that lives on channels of the connection (a publisher, a consumer). The connection
 * calls `attach` with every new connection (the first and each after a reconnect) and `detach`
 * when it is lost, so channels are re-created and consumers re-subscribed without the owner
 * polling for it.
 */
export interface ConnectionParticipant {
  attach(model: ChannelModel): Promise<void>;
  detach(): void;
  /** Graceful stop before the connection closes: stop taking work, finish what is in flight (bounded). */
  stop?(timeoutMs: number): Promise<void>;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { initialDelayMs: 100, maxDelayMs: 10_000, factor: 2, jitter: 0.5 };

/** Exponential backoff with jitter for attempt 1, 2, ... */
export function backoffDelay(attempt: number, options: ReconnectOptions): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - options.jitter * Math.random()));
}

/**
 * One AMQP connection per process (channels are cheap, connections are not), kept alive: when the
 * broker is not up at start or goes away later, it reconnects with jittered exponential backoff
 * and hands the new connection to every participant. amqplib 2 has a recovery mode of its own,
 * but it re-creates neither channels nor consumers, which is the part that matters here.
 *
 * Events: `connected`, `disconnected` (with the error, if any).
 */
export class AmqpConnection extends EventEmitter {
  readonly url: string;
  private readonly name: string;
  private readonly heartbeatSeconds: number;
  private readonly connectTimeoutMs: number;
  private readonly reconnect: ReconnectOptions;
  private readonly shutdownTimeoutMs: number;
  private readonly logger: Logger;
  private readonly participants = new Set<ConnectionParticipant>();
  private model: ChannelModel | null = null;
  private running = false;
  private connecting: Promise<void> | null = null;
  private wakeSleep: (() => void) | null = null;
  private waiters: Array<(model: ChannelModel) => void> = [];

  constructor(options: AmqpConnectionOptions = {}) {
    super();
    this.url = options.url ?? defaultAmqpUrl();
    this.name = options.name ?? 'conference';
    this.heartbeatSeconds = options.heartbeatSeconds ?? 10;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
    this.logger = options.logger ?? jsonLogger;
  }

  /** Starts connecting in the background; it does not wait for the broker (see `waitForConnection`). */
  start(): this {
    if (this.running) return this;
    this.running = true;
    this.ensureConnecting();
    return this;
  }

  isConnected(): boolean {
    return this.model !== null;
  }

  /** The live amqplib connection, or null while disconnected. */
  current(): ChannelModel | null {
    return this.model;
  }

  /** Resolves with the connection once there is one; rejects after `timeoutMs` (default: never). */
  waitForConnection(timeoutMs?: number): Promise<ChannelModel> {
    if (this.model) return Promise.resolve(this.model);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = (model: ChannelModel) => {
        if (timer) clearTimeout(timer);
        resolve(model);
      };
      this.waiters.push(waiter);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`no connection to the broker at ${redact(this.url)} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
    });
  }

  /** Adds a participant; it is attached now if connected, and on every later (re)connect. */
  async register(participant: ConnectionParticipant): Promise<void> {
    this.participants.add(participant);
    if (this.model) await this.attachOne(this.model, participant);
  }

  unregister(participant: ConnectionParticipant): void {
    this.participants.delete(participant);
  }

  /**
   * Graceful shutdown: participants stop taking work and finish what they are handling (bounded
   * by `shutdownTimeoutMs`), then the connection closes and stays closed.
   */
  async close(): Promise<void> {
    this.running = false;
    this.wakeSleep?.();
    await Promise.all([...this.participants].map((p) => p.stop?.(this.shutdownTimeoutMs).catch((error) => {
      this.logger.warn(errorFields(error), 'amqp participant did not stop cleanly');
    })));
    await this.connecting?.catch(() => undefined);
    const model = this.model;
    this.model = null;
    for (const participant of this.participants) participant.detach();
    this.participants.clear();
    if (model) await model.close().catch(() => undefined);
  }

  private ensureConnecting(): void {
    if (this.connecting || this.model || !this.running) return;
    this.connecting = this.connectLoop().finally(() => { this.connecting = null; });
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 1; this.running; attempt += 1) {
      try {
        const model = await connect(withHeartbeat(this.url, this.heartbeatSeconds), {
          timeout: this.connectTimeoutMs,
          clientProperties: { connection_name: this.name },
        });
        if (!this.running) {
          await model.close().catch(() => undefined);
          return;
        }
        await this.adopt(model);
        if (this.model === model || !this.running) return;
        // Lost again while participants were attaching: go round once more, after a pause.
        await this.sleep(backoffDelay(attempt, this.reconnect));
      } catch (error) {
        const delay = backoffDelay(attempt, this.reconnect);
        this.logger.warn({ ...errorFields(error), url: redact(this.url), attempt, retryInMs: delay }, 'amqp connect failed');
        await this.sleep(delay);
      }
    }
  }

  private async adopt(model: ChannelModel): Promise<void> {
    // Errors arrive before 'close'; without a listener an EventEmitter 'error' would crash the process.
    model.on('error', (error: Error) => this.logger.warn(errorFields(error), 'amqp connection error'));
    model.on('close', (error?: Error) => this.lost(model, error));
    this.model = model;
    this.logger.info({ url: redact(this.url) }, 'amqp connected');
    for (const participant of this.participants) await this.attachOne(model, participant);
    if (this.model !== model) return; // lost again while attaching; connectLoop goes round again
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter(model);
    this.emit('connected');
  }

  private async attachOne(model: ChannelModel, participant: ConnectionParticipant): Promise<void> {
    try {
      await participant.attach(model);
    } catch (error) {
      // A participant that cannot set up its channel (say, a topology mismatch) would otherwise sit
      // idle on a healthy connection. Closing it makes the whole set start over with backoff.
      this.logger.error(errorFields(error), 'amqp participant failed to attach; reconnecting');
      await model.close().catch(() => undefined);
    }
  }

  private lost(model: ChannelModel, error?: Error): void {
    if (this.model !== model) return;
    this.model = null;
    for (const participant of this.participants) participant.detach();
    this.emit('disconnected', error);
    if (!this.running || this.connecting) return; // a running connect loop notices by itself
    this.logger.warn({ ...(error ? errorFields(error) : {}) }, 'amqp connection lost; reconnecting');
    // The first retry waits too: a broker that just closed us is often restarting.
    this.connecting = this.sleep(backoffDelay(1, this.reconnect))
      .then(() => this.connectLoop())
      .finally(() => { this.connecting = null; });
  }

  /** A backoff pause that `close()` cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }
}

function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}

/** The URL without its password, for logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid url)';
  }
}
