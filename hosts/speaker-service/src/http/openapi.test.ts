import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { routesOf, undocumentedRoutes, type OpenApiObject } from '@conference/http-kit';
import { speakerTestApp } from './speaker-test-kit.js';

describe('speaker-service OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served at /openapi.json', async () => {
    const app = await speakerTestApp();
    const doc = (await app.request().get('/openapi.json').expect(200)).body as OpenApiObject;
    const result = await new Validator().validate(doc);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).to.equal(undefined);
    expect(result.valid).to.equal(true);
  });

  it('documents every routed path and method, DESIGN §3 /api/speakers included', async () => {
    const app = await speakerTestApp();
    const doc = app.api.document.toJSON();
    expect(undocumentedRoutes(app.api.router, doc)).to.deep.equal([]);
    const routes = routesOf(app.api.router).map((r) => `${r.method} ${r.path}`);
    expect(routes).to.have.members([
      'GET /health', 'GET /ready', 'GET /metrics', 'GET /openapi.json',
      'GET /api/speakers', 'POST /api/speakers', 'GET /api/speakers/:id', 'PATCH /api/speakers/:id', 'DELETE /api/speakers/:id',
    ]);
  });

  it('describes every field: no codec is documented as an opaque "any value"', async () => {
    const app = await speakerTestApp();
    const doc = app.api.document.toJSON();
    expect(JSON.stringify(doc)).not.to.contain('not described');
    const schemas = (doc as unknown as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }).components.schemas;
    expect(schemas['CreateSpeakerBody']!.properties!['links']).to.deep.include({ type: 'array', maxItems: 10 });
    expect(schemas['CreateSpeakerBody']!.properties!['userId']).to.deep.equal({ anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] });
    expect(schemas['PatchSpeakerBody']!).not.to.have.property('required');
    const patch = doc.paths['/api/speakers/{id}']!['patch'] as { responses: Record<string, unknown> };
    expect(patch.responses).to.include.keys('200', '400', '401', '403', '404', '409', '413', '415', '428');
  });
});
