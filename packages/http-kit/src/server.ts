import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';

export interface RunningServer {
  readonly server: Server;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /**
   * Stops accepting connections, lets in-flight requests finish (their connections then close
   * instead of being kept alive), closes idle keep-alive connections at once, and after
   * `timeoutMs` cuts whatever is left. Resolves true when everything finished in time.
   */
  close(timeoutMs?: number): Promise<boolean>;
}

export interface ServerOptions {
  readonly port: number;
  readonly host?: string;
  /**
   * Keep-alive idle timeout. Default 65 s: longer than the gateway's (nginx keepalive_timeout 60 s)
   * so the server never closes a connection the gateway is about to reuse.
   */
  readonly keepAliveTimeoutMs?: number;
  /** Time allowed to receive a whole request (slow-loris bound). Default 30 s. */
  readonly requestTimeoutMs?: number;
}

export async function startHttpServer(app: Koa | ((req: IncomingMessage, res: ServerResponse) => void), options: ServerOptions): Promise<RunningServer> {
  const handler = typeof app === 'function' ? app : app.callback();
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const closeIdleConnections = () => server.closeIdleConnections();
  // One listener per server, not a closure per response.
  function onResponseClose(this: ServerResponse): void {
    inFlight.delete(this);
    // A keep-alive connection whose last request just finished is idle now: close it.
    if (closing) setImmediate(closeIdleConnections);
  }
  // The in-flight bookkeeping and the app in one 'request' listener: a second listener made every
  // request's emit copy the listener array.
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.on('close', onResponseClose);
    return handler(req, res);
  });
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000;
  server.headersTimeout = server.keepAliveTimeout + 1000;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });

  let closed: Promise<boolean> | undefined;
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close(timeoutMs = 10_000) {
      closed ??= new Promise<boolean>((resolve) => {
        closing = true;
        // Responses not yet started tell the client this connection ends with them.
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        const deadline = setTimeout(() => {
          server.closeAllConnections();
          resolve(false);
        }, timeoutMs);
        deadline.unref();
        server.close(() => {
          clearTimeout(deadline);
          resolve(true);
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
