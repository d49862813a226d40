import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpApp } from '@conference/http-kit';

/** A service's Koa app and the path prefixes it owns, as the nginx gateway routes them. */
export interface Mount {
  readonly service: string;
  readonly prefixes: readonly string[];
  readonly http: HttpApp;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const sendJson = (res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': `${contentType}; charset=utf-8`, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
};

/** RFC 9457, as every service answers its own errors. */
const problem = (res: ServerResponse, status: number, title: string, detail: string, instance: string): void =>
  sendJson(res, status, { type: `urn:conference:problem:${status === 404 ? 'not-found' : 'unavailable'}`, title, status, detail, instance }, 'application/problem+json');

const pathOf = (url: string | undefined): string => (url ?? '/').split('?')[0]!;

const owns = (prefix: string, path: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

export interface RouterOptions {
  readonly mounts: readonly Mount[];
  /** Called after a request that may have written (any method but GET/HEAD/OPTIONS) has been answered. */
  readonly afterWrite?: () => void;
}

/**
 * The gateway of the embedded profile, in process: each path prefix to its service's app, plus
 * `/health` (this process answers) and `/ready` (every service's own readiness, together), and a
 * problem+json 404 for anything no service owns.
 */
export function createRouter(options: RouterOptions): { readonly handle: Handler; setDraining(): void } {
  const routes = options.mounts.flatMap((mount) => {
    const callback = mount.http.app.callback() as Handler;
    return mount.prefixes.map((prefix) => ({ prefix, callback }));
  });
  let draining = false;

  const ready = async (res: ServerResponse): Promise<void> => {
    const reports = await Promise.all(options.mounts.map(async (mount) => [mount.service, await mount.http.readiness.run()] as const));
    const isReady = !draining && reports.every(([, report]) => report.ready);
    sendJson(res, isReady ? 200 : 503, { status: isReady ? 'ready' : 'not ready', draining, services: Object.fromEntries(reports) });
  };

  const handle: Handler = (req, res) => {
    const path = pathOf(req.url);
    if (options.afterWrite && !['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET')) res.once('finish', options.afterWrite);
    if (path === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (path === '/ready') {
      ready(res).catch((error: unknown) => problem(res, 503, 'Not ready', String(error), path));
      return;
    }
    const route = routes.find((candidate) => owns(candidate.prefix, path));
    if (route) {
      route.callback(req, res);
      return;
    }
    problem(res, 404, 'Not Found', `No service serves ${path}`, path);
  };

  return {
    handle,
    setDraining() {
      draining = true;
      for (const mount of options.mounts) mount.http.readiness.setDraining();
    },
  };
}
