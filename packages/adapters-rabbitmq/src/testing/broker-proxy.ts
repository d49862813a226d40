import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { amqpTestUrl } from './infrastructure.js';

/**
 * A TCP relay in front of the shared broker, so a test can take "the broker" away and bring it
 * back without stopping the machine's RabbitMQ (which other tests and people use):
 * - `down()`: every connection through it is cut and nothing listens on its port any more;
 * - `up()`: listens on the same port again and forwards to the broker;
 * - `cut()`: drops the current connections but keeps listening (a network blip).
 */
export class BrokerProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(private readonly target: URL) {}

  static async start(targetUrl = amqpTestUrl()): Promise<BrokerProxy> {
    const proxy = new BrokerProxy(new URL(targetUrl));
    await proxy.up();
    return proxy;
  }

  /** The broker URL (credentials, vhost) with the proxy's address. */
  get url(): string {
    const url = new URL(this.target.toString());
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  get connections(): number {
    return this.sockets.size / 2;
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = tcpConnect(Number(this.target.port || 5672), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address !== 'string') this.port = address.port;
    this.server = server;
  }

  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.down();
  }
}
