import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { DEFAULT_PROBLEM_OPTIONS, PROBLEM_CONTENT_TYPE, problemFor, type ProblemOptions } from './problem.js';
import { routeTemplateOf } from './route-template.js';

/**
 * Answers `error` as application/problem+json: expected errors (DomainError, HttpProblem, exposed
 * 4xx) keep their message; anything else becomes a generic 500 whose stack goes to the log only.
 *
 * `restoreHeaders` puts the response headers back to what they were before the failed handler ran:
 * headers it set (ETag, Location ...) described a success that did not happen.
 */
export function answerProblem(
  ctx: Context,
  error: unknown,
  logger: Logger,
  options: ProblemOptions,
  restoreHeaders: (ctx: Context) => void,
): void {
  const { problem, headers, expected } = problemFor(error, ctx.path, options);
  const requestId = (ctx.state as { requestId?: string }).requestId;
  if (!expected) {
    logger.error({ err: error, requestId, method: ctx.method, route: routeTemplateOf(ctx) }, 'request failed unexpectedly');
  } else if (problem.status >= 500) {
    logger.warn({ code: problem.code, requestId, detail: problem.detail }, 'request answered with a server-side problem');
  }
  restoreHeaders(ctx);
  ctx.status = problem.status;
  ctx.set(headers);
  ctx.body = problem;
  ctx.type = PROBLEM_CONTENT_TYPE;
}

/**
 * Turns every error thrown below it into an application/problem+json answer (answerProblem).
 *
 * Headers set by outer middleware (request id, security headers) are kept; headers the failed
 * handler set (ETag, Location ...) are dropped, since they described a success that did not happen.
 * createHttpApp does the same inside its one pipeline middleware (pipeline.ts); this is the stand-alone form.
 */
export function problemHandler(logger: Logger, options: ProblemOptions = DEFAULT_PROBLEM_OPTIONS): Middleware<{ requestId?: string }> {
  return async (ctx, next) => {
    // getHeaders() is already a copy; ctx.response.headers spread into another object copied twice per request.
    const headersBefore = ctx.res.getHeaders();
    try {
      await next();
    } catch (error) {
      answerProblem(ctx, error, logger, options, () => {
        for (const name of Object.keys(ctx.response.headers)) {
          if (!(name in headersBefore)) ctx.remove(name);
        }
        for (const [name, value] of Object.entries(headersBefore)) {
          if (value !== undefined) ctx.set(name, value as string | string[]);
        }
      });
    }
  };
}
