import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { undocumentedRoutes, type OpenApiObject } from '@conference/http-kit';
import { routeTestKit, type RouteTestKit } from './route-test-kit.js';

describe('event service OpenAPI document', () => {
  let kit: RouteTestKit;
  let doc: OpenApiObject;
  before(async () => {
    kit = await routeTestKit();
    doc = (await kit.request().get('/openapi.json').expect(200)).body as OpenApiObject;
  });

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', async () => {
    expect(doc.openapi).to.equal('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.valid, JSON.stringify(result.errors, null, 2)).to.equal(true);
  });

  it('documents every routed path and method', () => {
    expect(undocumentedRoutes(kit.http.api.router, doc)).to.deep.equal([]);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations).to.include.members([
      'GET /api/events', 'POST /api/events', 'GET /api/events/{id}', 'PATCH /api/events/{id}', 'DELETE /api/events/{id}',
      'POST /api/events/{id}/publish', 'POST /api/events/{id}/cancel', 'GET /api/events/{id}/enrollments', 'GET /api/events/{id}/enrollments/me',
      'POST /api/events/{id}/sessions', 'DELETE /api/events/{id}/sessions/{sessionId}', 'GET /api/events/{id}/schedule', 'GET /api/events/{id}/schedule.ics',
      'GET /health', 'GET /ready', 'GET /metrics', 'GET /openapi.json',
    ]);
  });

  it('describes no schema as "not described": every codec is one the converter can see into', () => {
    expect(JSON.stringify(doc)).not.to.contain('not described');
  });

  it('describes bodies from the request codecs (unknown fields refused) and responses from the views', () => {
    const op = (path: string, method: string) => doc.paths[path]![method] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const schemas = (doc['components'] as { schemas: Record<string, Record<string, unknown>> }).schemas;
    const create = op('/api/events', 'post');
    expect(create.requestBody.content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/CreateEventBody' });
    expect(schemas['CreateEventBody']).to.include({ additionalProperties: false });
    expect(schemas['CreateEventBody']!['required']).to.have.members(['title', 'venue', 'startsAt', 'endsAt', 'capacity']);
    expect(create.responses['201'].content['application/json'].schema).to.deep.equal({ $ref: '#/components/schemas/Event' });
    expect(create.responses['201'].headers).to.have.keys('ETag', 'Location');
    expect(Object.keys(schemas['Event']!['properties'] as object)).to.include.members(['id', 'status', 'organizerId', 'seatsTaken', 'seatsLeft', 'version']);
    expect(op('/api/events', 'get').security).to.deep.equal([{ bearerAuth: [] }, {}]);
    expect(create.security).to.deep.equal([{ bearerAuth: [] }]);
    const limit = (op('/api/events', 'get').parameters as { name: string; schema: unknown }[]).find((p) => p.name === 'limit');
    expect(limit?.schema).to.include({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('documents the iCalendar feed as text/calendar and the statuses of POST :id/sessions', () => {
    const ics = doc.paths['/api/events/{id}/schedule.ics']!['get'] as { responses: Record<string, { content?: Record<string, unknown> }> };
    expect(Object.keys(ics.responses['200']!.content!)).to.deep.equal(['text/calendar']);
    const link = doc.paths['/api/events/{id}/sessions']!['post'] as { responses: Record<string, unknown> };
    expect(link.responses).to.include.keys('200', '201', '400', '401', '403', '404', '409', '413', '415', '422', '503');
  });
});
