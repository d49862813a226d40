import { Email, IsoDateTime, Uuid, boundedInt, boundedString, strictObject } from '@conference/kernel';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import * as t from 'io-ts';
import { createTestTokens } from '../testing/tokens.js';
import { requestTo } from '../testing/request.js';
import { demoApp } from '../test-support.js';
import { routesOf, undocumentedRoutes } from './coverage.js';
import { openApiPath, type OpenApiObject } from './document.js';
import { describeSchema, toJsonSchema } from './json-schema.js';
import { RestApi } from './rest-api.js';

describe('toJsonSchema', () => {
  it('describes the kernel codecs by what they mean', () => {
    expect(toJsonSchema(Uuid)).to.deep.equal({ type: 'string', format: 'uuid' });
    expect(toJsonSchema(IsoDateTime)).to.deep.equal({ type: 'string', format: 'date-time' });
    expect(toJsonSchema(Email)).to.deep.equal({ type: 'string', format: 'email', maxLength: 254 });
    expect(toJsonSchema(boundedString(1, 200))).to.deep.equal({ type: 'string', minLength: 1, maxLength: 200 });
    expect(toJsonSchema(boundedInt(1, 100_000))).to.deep.equal({ type: 'integer', minimum: 1, maximum: 100_000 });
  });

  it('describes a strictObject with required keys and additionalProperties false', () => {
    const Body = strictObject({ title: boundedString(1, 10), speakerIds: t.array(Uuid) }, { notes: t.string });
    expect(toJsonSchema(Body)).to.deep.equal({
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1, maxLength: 10 },
        speakerIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
        notes: { type: 'string' },
      },
      required: ['title', 'speakerIds'],
      additionalProperties: false,
    });
  });

  it('describes the io-ts built-ins', () => {
    expect(toJsonSchema(t.string)).to.deep.equal({ type: 'string' });
    expect(toJsonSchema(t.number)).to.deep.equal({ type: 'number' });
    expect(toJsonSchema(t.boolean)).to.deep.equal({ type: 'boolean' });
    expect(toJsonSchema(t.null)).to.deep.equal({ type: 'null' });
    expect(toJsonSchema(t.unknown)).to.deep.equal({});
    expect(toJsonSchema(t.literal('me'))).to.deep.equal({ const: 'me' });
    expect(toJsonSchema(t.keyof({ draft: null, published: null }))).to.deep.equal({ type: 'string', enum: ['draft', 'published'] });
    expect(toJsonSchema(t.union([t.literal('a'), t.literal('b')]))).to.deep.equal({ enum: ['a', 'b'] });
    expect(toJsonSchema(t.union([t.string, t.null]))).to.deep.equal({ anyOf: [{ type: 'string' }, { type: 'null' }] });
    expect(toJsonSchema(t.readonlyArray(t.number))).to.deep.equal({ type: 'array', items: { type: 'number' } });
    expect(toJsonSchema(t.record(t.string, t.number))).to.deep.equal({ type: 'object', additionalProperties: { type: 'number' } });
    expect(toJsonSchema(t.Int)).to.deep.equal({ type: 'integer' });
    expect(toJsonSchema(t.refinement(t.string, (s) => s.length > 2, 'Long'))).to.deep.equal({ type: 'string' });
    interface PositiveBrand { readonly Positive: unique symbol }
    expect(toJsonSchema(t.brand(t.number, (n): n is t.Branded<number, PositiveBrand> => n > 0, 'Positive'))).to.deep.equal({ type: 'number' });
  });

  it('describes t.type, t.partial, t.exact and their intersection as one object', () => {
    const codec = t.exact(t.intersection([t.type({ a: t.string, b: t.union([t.number, t.undefined]) }), t.partial({ c: t.boolean })]));
    expect(toJsonSchema(codec)).to.deep.equal({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'boolean' } },
      required: ['a'],
    });
  });

  it('puts named object codecs in components and refers to them', () => {
    const Speaker = t.type({ id: Uuid, name: t.string }, 'SpeakerSummary');
    const Session = t.type({ speakers: t.array(Speaker), lead: Speaker }, 'SessionView');
    const schemas = new Map<string, unknown>();
    const ref = toJsonSchema(Session, { refFor: (codec, build) => { if (!schemas.has(codec.name)) { schemas.set(codec.name, {}); schemas.set(codec.name, build()); } return codec.name; } });
    expect(ref).to.deep.equal({ $ref: '#/components/schemas/SessionView' });
    expect(schemas.get('SessionView')).to.deep.equal({
      type: 'object',
      properties: { speakers: { type: 'array', items: { $ref: '#/components/schemas/SpeakerSummary' } }, lead: { $ref: '#/components/schemas/SpeakerSummary' } },
      required: ['speakers', 'lead'],
    });
  });

  it('uses what describeSchema registered for a hand-written codec, and says when a codec is opaque', () => {
    const opaque = new t.Type<number, string, unknown>('intFromString', (u): u is number => typeof u === 'number', (u, c) => t.failure(u, c), String);
    expect(toJsonSchema(opaque)).to.deep.equal({ description: 'intFromString (not described; see describeSchema)' });
    describeSchema(opaque, { type: 'string', pattern: '^\\d+$' });
    expect(toJsonSchema(opaque)).to.deep.equal({ type: 'string', pattern: '^\\d+$' });
  });
});

describe('OpenAPI document', () => {
  async function documentedDemo() {
    const tokens = await createTestTokens();
    return demoApp({ verifier: tokens.verifier });
  }

  it('is a valid OpenAPI 3.1 document, served at /openapi.json', async () => {
    const { app } = await documentedDemo();
    const res = await requestTo(app).get('/openapi.json').expect(200);
    const doc = res.body as OpenApiObject;
    expect(doc.openapi).to.equal('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    expect(result.valid).to.equal(true);
  });

  it('documents every route the app serves, the operations routes included', async () => {
    const { api } = await documentedDemo();
    const doc = api.document.toJSON();
    expect(undocumentedRoutes(api.router, doc)).to.deep.equal([]);
    const routes = routesOf(api.router).map((r) => `${r.method} ${r.path}`);
    expect(routes).to.include.members(['GET /health', 'GET /ready', 'GET /metrics', 'GET /openapi.json', 'POST /talks', 'GET /talks/:id', 'PATCH /talks/:id']);
    expect(routes.length).to.equal(api.document.size);
  });

  it('undocumentedRoutes finds a route mounted on the router behind the document\'s back', async () => {
    const { api } = await documentedDemo();
    api.router.get('/sneaky/:id', (ctx) => { ctx.body = {}; });
    expect(undocumentedRoutes(api.router, api.document.toJSON())).to.deep.equal([{ method: 'GET', path: '/sneaky/:id' }]);
  });

  it('turns Koa paths into OpenAPI templates with typed path parameters', async () => {
    const { api } = await documentedDemo();
    const doc = api.document.toJSON() as OpenApiObject & { paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown>; security?: unknown }>> };
    const patch = doc.paths['/talks/{id}']!['patch']!;
    expect(patch.parameters).to.deep.equal([{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]);
    expect(patch.requestBody).to.deep.equal({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/TalkBody' } } } });
    expect(Object.keys(patch.responses)).to.have.members(['200', '400', '404', '409', '413', '415', 'default']);
    const list = doc.paths['/talks']!['get']!;
    expect(list.parameters).to.deep.equal([{ name: 'q', in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 50 } }]);
    const me = doc.paths['/me']!['get']!;
    expect(me.security).to.deep.equal([{ bearerAuth: [] }]);
    expect(Object.keys(me.responses)).to.include.members(['401', '403', '503']);
    expect(doc.paths['/maybe-me']!['get']!.security).to.deep.equal([{ bearerAuth: [] }, {}]);
    expect(openApiPath('/api/events/:id/sessions/:sessionId')).to.equal('/api/events/{id}/sessions/{sessionId}');
  });

  it('refuses registrations that would make the document wrong', async () => {
    const api = new RestApi({ info: { title: 'x', version: '1' } });
    const noop = () => {};
    expect(() => api.route({ method: 'get', path: '/a/:id', summary: 's', auth: 'none', params: strictObject({ eventId: Uuid }), responses: { 200: { description: 'ok' } } }, noop)).to.throw(/exactly the path's parameters/);
    expect(() => api.route({ method: 'get', path: '/b', summary: 's', auth: 'required', responses: { 200: { description: 'ok' } } }, noop)).to.throw(/without a verifier/);
    expect(() => api.route({ method: 'get', path: '/c{/:maybe}', summary: 's', auth: 'none', responses: { 200: { description: 'ok' } } }, noop)).to.throw(/cannot be documented/);
    api.route({ method: 'get', path: '/d', summary: 's', auth: 'none', responses: { 200: { description: 'ok' } } }, noop);
    expect(() => api.route({ method: 'get', path: '/d', summary: 's', auth: 'none', responses: { 200: { description: 'ok' } } }, noop)).to.throw(/twice/);
    expect(() => api.route({ method: 'get', path: '/e', summary: 's', auth: 'none', body: t.string, responses: { 200: { description: 'ok' } } }, noop)).to.throw(/cannot take a body/);
    expect(routesOf(api.router).map((r) => r.path)).to.deep.equal(['/d']);
  });

  it('types the handler input from the spec and hands an optional body through as undefined', async () => {
    const api = new RestApi({ info: { title: 'x', version: '1' } });
    const Action = strictObject({}, { version: boundedInt(1, 100) }, 'ActionBody');
    api.route({ method: 'post', path: '/events/:id/publish', summary: 'Publish', auth: 'none', params: strictObject({ id: Uuid }), body: Action, bodyRequired: false, responses: { 200: { description: 'ok' } } }, (ctx, input) => {
      const version: number | undefined = input.body?.version;
      const id: string = input.params.id;
      ctx.body = { id, version: version ?? null, actor: input.actor };
    });
    const { createHttpApp } = await import('../app.js');
    const { captureLogs } = await import('../test-support.js');
    const { app } = createHttpApp({ service: 'x', logger: captureLogs().logger, api, defaultMetrics: false });
    const id = '5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11';
    expect((await requestTo(app).post(`/events/${id}/publish`).expect(200)).body).to.deep.equal({ id, version: null, actor: null });
    expect((await requestTo(app).post(`/events/${id}/publish`).send({ version: 3 }).expect(200)).body.version).to.equal(3);
    await requestTo(app).post(`/events/${id}/publish`).send({ version: 'x' }).expect(400);
  });
});
