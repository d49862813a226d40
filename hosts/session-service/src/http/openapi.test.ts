import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { routesOf, undocumentedRoutes } from '@conference/http-kit';
import { sessionApi, type SessionApiHarness } from './session-test-kit.js';

describe('session-service OpenAPI document', () => {
  let api: SessionApiHarness;
  before(async () => {
    api = await sessionApi();
  });

  it('is a valid OpenAPI 3.1 document, served at /openapi.json', async () => {
    const res = await api.request().get('/openapi.json').expect(200);
    expect(res.body.openapi).to.equal('3.1.0');
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it('documents every route the router serves, and every route of DESIGN §3 is served', () => {
    const document = api.http.api.document.toJSON();
    expect(undocumentedRoutes(api.http.api.router, document)).to.deep.equal([]);
    const served = routesOf(api.http.api.router).map((r) => `${r.method} ${r.path}`);
    expect(served).to.include.members([
      'GET /api/sessions',
      'POST /api/sessions',
      'GET /api/sessions/:id',
      'PATCH /api/sessions/:id',
      'DELETE /api/sessions/:id',
      'POST /api/sessions/:id/speakers',
      'DELETE /api/sessions/:id/speakers/:speakerId',
      'GET /health',
      'GET /ready',
      'GET /metrics',
    ]);
  });

  it('describes the request and response shapes from the codecs (no opaque "not described" schemas)', () => {
    const text = JSON.stringify(api.http.api.document.toJSON());
    expect(text).not.to.contain('not described');
    const document = api.http.api.document.toJSON() as unknown as { components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };
    const create = document.components.schemas['CreateSessionBody']!;
    expect(create.required).to.have.members(['title', 'abstract', 'startsAt', 'endsAt', 'room', 'speakerIds']);
    expect(create.properties!['speakerIds']).to.deep.include({ type: 'array', items: { type: 'string', format: 'uuid' } });
    expect(document.components.schemas['PatchSessionBody']!.required ?? []).to.deep.equal([]);
    expect(document.components.schemas['SessionDetails']!.properties).to.have.property('speakers');
  });
});
