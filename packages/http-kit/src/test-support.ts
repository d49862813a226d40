import { Writable } from 'node:stream';
import { DomainError, IsoDateTime, Uuid, boundedInt, boundedString, err, ok, strictObject, type DomainErrorKind } from '@conference/kernel';
import * as t from 'io-ts';
import { pino, type Logger } from 'pino';
import { createHttpApp, type HttpApp, type HttpAppOptions } from './app.js';
import type { JwtVerifier } from './auth/jwt-verifier.js';
import { sendResult } from './decode.js';
import { etagOf, expectedVersion } from './etag.js';
import { RestApi } from './openapi/rest-api.js';
import { requestCorrelation } from './request-id.js';

/** A small API in the shape of the real ones, for the tests of the pipeline. */

export const TalkBody = strictObject(
  { title: boundedString(1, 100), capacity: boundedInt(1, 1000), speakerIds: t.array(Uuid), startsAt: IsoDateTime },
  { notes: boundedString(0, 500), version: boundedInt(1, 1_000_000) },
  'TalkBody',
);
export const TalkView = t.type({ id: Uuid, title: t.string, capacity: t.number, version: t.number, startsAt: t.string }, 'TalkView');
export const IdParams = strictObject({ id: Uuid }, {}, 'IdParams');
export const PageQuery = strictObject({}, { q: boundedString(1, 50) }, 'TalkQuery');
export const KindParams = strictObject({ kind: t.keyof({ validation: null, unauthorized: null, forbidden: null, not_found: null, conflict: null, unprocessable: null, unavailable: null }) }, {}, 'KindParams');

export const SAMPLE_TALK = {
  title: 'Hexagons in practice',
  capacity: 50,
  speakerIds: ['5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11'],
  startsAt: '2026-05-01T09:00:00Z',
};

export interface LogCapture {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug', base: { service: 'demo' } }, stream), lines };
}

export interface DemoApp extends HttpApp {
  readonly logs: LogCapture;
  /** What the last POST /talks saw as its correlation, from inside the use case. */
  readonly seen: { correlationId: string | null };
}

export function demoApp(options: { verifier?: JwtVerifier; app?: Partial<HttpAppOptions> } = {}): DemoApp {
  const logs = captureLogs();
  const seen = { correlationId: null as string | null };
  const api = new RestApi({ info: { title: 'Demo', version: '1.0.0' }, verifier: options.verifier });
  api.route({
    method: 'post', path: '/talks', summary: 'Create a talk', tags: ['talks'], auth: 'none', body: TalkBody,
    responses: { 201: { description: 'Created', schema: TalkView } },
  }, async (ctx, { body }) => {
    await new Promise((resolve) => setImmediate(resolve)); // the correlation must survive an async hop
    seen.correlationId = requestCorrelation.current().correlationId;
    const view = { id: '0e7c2f55-9d4b-4a3c-8a41-1b2c3d4e5f60', title: body.title, capacity: body.capacity, version: 1, startsAt: body.startsAt.toISOString() };
    sendResult(ctx, ok(view), { status: 201, etag: (v) => etagOf(v.version), location: (v) => `/talks/${v.id}` });
  });
  api.route({
    method: 'get', path: '/talks', summary: 'List talks', auth: 'none', query: PageQuery,
    responses: { 200: { description: 'Talks', schema: t.type({ items: t.array(TalkView) }) } },
  }, (ctx, { query }) => {
    ctx.body = { items: [], q: query.q ?? null };
  });
  api.route({
    method: 'get', path: '/talks/:id', summary: 'One talk', auth: 'none', params: IdParams,
    responses: { 200: { description: 'The talk', schema: TalkView } }, problems: [404],
  }, (ctx, { params }) => {
    ctx.body = { id: params.id };
  });
  api.route({
    method: 'patch', path: '/talks/:id', summary: 'Change a talk', auth: 'none', params: IdParams, body: TalkBody,
    responses: { 200: { description: 'Changed', schema: TalkView } }, problems: [409],
  }, (ctx, { body }) => {
    ctx.body = { expected: expectedVersion(ctx, body.version) ?? null };
  });
  api.route({
    method: 'get', path: '/fail/:kind', summary: 'Answers the DomainError of a kind', auth: 'none', params: KindParams,
    responses: { 200: { description: 'never' } },
  }, (ctx, { params }) => {
    ctx.set('ETag', '"7"'); // must not survive the error
    const issues = params.kind === 'validation' ? [{ path: 'capacity', message: 'must be at least 1' }] : [];
    sendResult(ctx, err(new DomainError(`DEMO.${params.kind.toUpperCase()}`, params.kind as DomainErrorKind, `demo ${params.kind}`, issues)));
  });
  api.route({
    method: 'get', path: '/boom', summary: 'Fails unexpectedly', auth: 'none',
    responses: { 200: { description: 'never' } },
  }, () => {
    throw new Error('secret connection string postgres://admin:hunter2@db');
  });
  api.route({
    method: 'get', path: '/stack', summary: 'Overflows the stack', auth: 'none',
    responses: { 200: { description: 'never' } },
  }, () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    return recurse(0);
  });
  if (options.verifier) {
    api.route({
      method: 'get', path: '/me', summary: 'Who am I', auth: 'required',
      responses: { 200: { description: 'The actor' } },
    }, (ctx, { actor }) => {
      ctx.body = { actor, sessionId: ctx.state.token?.sessionId ?? null };
    });
    api.route({
      method: 'get', path: '/maybe-me', summary: 'Who am I, if anyone', auth: 'optional',
      responses: { 200: { description: 'The actor or null' } },
    }, (ctx, { actor }) => {
      ctx.body = { actor };
    });
  }
  const http = createHttpApp({ service: 'demo', logger: logs.logger, api, defaultMetrics: false, ...options.app });
  return { ...http, logs, seen };
}
