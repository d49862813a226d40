import type { Context } from 'koa';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, problemFor, type ProblemOptions } from './problem.js';
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
