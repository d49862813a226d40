import * as t from 'io-ts';
import { describeSchema, sendResult, type RestApi } from '@conference/http-kit';
import { IsoDateTime, MAX_PAGE_SIZE, boundedString, strictObject } from '@conference/kernel';
import type { ListAuditEntries } from '@conference/notifications';

/** `?limit=`: query values arrive as text, so the number is parsed here. */
const PageLimit = describeSchema(
  new t.Type<number, string, unknown>(
    'PageLimit',
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= MAX_PAGE_SIZE,
    (u, c) => {
      const n = typeof u === 'string' && /^\d{1,4}$/.test(u) ? Number(u) : NaN;
      return n >= 1 && n <= MAX_PAGE_SIZE ? t.success(n) : t.failure(u, c, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    },
    String,
  ),
  { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 },
);

/** GET /api/audit filters: message type, [from, to) on the time the message says it happened, one request's correlation id. */
export const AuditQuery = strictObject(
  {},
  {
    type: boundedString(1, 200),
    from: IsoDateTime,
    to: IsoDateTime,
    correlationId: boundedString(1, 128),
    limit: PageLimit,
    cursor: boundedString(1, 200),
  },
  'AuditQuery',
);

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** The package's AuditEntryView. `data` is the message payload as received: any JSON. */
export const AuditEntryView = t.type({
  position: t.Int,
  messageId: t.string,
  type: t.string,
  source: t.string,
  correlationId: nullable(t.string),
  causationId: nullable(t.string),
  occurredAt: nullable(IsoDateTime),
  receivedAt: IsoDateTime,
  data: t.unknown,
}, 'AuditEntry');

export const AuditPageView = t.type({ items: t.array(AuditEntryView), nextCursor: nullable(t.string) }, 'AuditPage');

/**
 * `GET /api/audit` (DESIGN §1: the audit log, admins only, routed by the gateway). The use case
 * decides who may read (AUDIT.FORBIDDEN for anyone but an admin) and refuses a range that ends
 * before it starts (AUDIT.INVALID_RANGE); this route only decodes the filters.
 */
export function registerAuditRoutes(api: RestApi, listAuditEntries: ListAuditEntries): void {
  api.route({
    method: 'get', path: '/api/audit', operationId: 'listAuditEntries', tags: ['audit'], auth: 'required',
    summary: 'The audit log (admins only)',
    description: 'Every message the platform carried, newest first. `from`/`to` bound the time the message says it happened, as [from, to). '
      + '`correlationId` follows one request through every service. Keyset pages: pass `nextCursor` as `cursor`.',
    query: AuditQuery,
    responses: { 200: { description: 'One page of audit entries', schema: AuditPageView } },
  }, async (ctx, { query, actor }) => {
    ctx.set('Cache-Control', 'no-store');
    sendResult(ctx, await listAuditEntries.execute({ actor, ...query }));
  });
}
