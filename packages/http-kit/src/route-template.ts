import type { Context } from 'koa';

/**
 * The route template a request matched (`/api/events/:id`), never the raw path: metrics and logs
 * labelled by raw path would grow one series per id. Unmatched requests share one label.
 */
export const UNMATCHED_ROUTE = '(unmatched)';

export function routeTemplateOf(ctx: Context): string {
  const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof matched === 'string' ? matched : UNMATCHED_ROUTE;
}
