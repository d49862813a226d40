import type { Middleware } from 'koa';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { routeTemplateOf } from './route-template.js';

/** Routes polled by probes and scrapers every few seconds: logged at debug so they do not drown the rest. */
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

/**
 * A JSON logger for a service: one object per line, `service` on every line, and anything that
 * looks like a credential redacted should a caller ever log a header or a body by mistake.
 */
export function createLogger(service: string, options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  return pino({
    level: 'info',
    base: { service },
    redact: { paths: ['authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'password', '*.password', 'refreshToken', '*.refreshToken'], censor: '[redacted]' },
    ...options,
  }, destination);
}

/**
 * One log line per request after it completes: method, route template, status, duration, request
 * id. Never bodies or headers (they carry passwords and tokens). Gives handlers ctx.state.log, a
 * child logger stamped with the request id.
 */
export function accessLog(logger: Logger): Middleware<{ requestId: string; log: Logger }> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.state.log = logger.child({ requestId: ctx.state.requestId });
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const route = routeTemplateOf(ctx);
      const line = { requestId: ctx.state.requestId, method: ctx.method, route, status: ctx.status, durationMs: Math.round(durationMs * 1000) / 1000 };
      if (QUIET_ROUTES.has(route)) logger.debug(line, 'request');
      else logger.info(line, 'request');
    }
  };
}
