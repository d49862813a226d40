import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { undocumentedRoutes, type OpenApiObject } from '@conference/http-kit';
import { userServiceUnderTest } from './http-test-kit.js';

describe('user service OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served at /openapi.json, covering every mounted route', async () => {
    const svc = await userServiceUnderTest();
    const doc = (await svc.request().get('/openapi.json').expect(200)).body as OpenApiObject;
    expect(doc.openapi).to.equal('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(undocumentedRoutes(svc.http.api.router, doc)).to.deep.equal([]);
  });

  it('describes every request and response field (no opaque "any" schemas) and the 429 of login', async () => {
    const svc = await userServiceUnderTest();
    const doc = svc.http.api.document.toJSON();
    const text = JSON.stringify(doc);
    expect(text).not.to.include('not described');
    for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/auth/sessions', '/api/auth/sessions/{id}',
      '/api/auth/jwks.json', '/api/users', '/api/users/me', '/api/users/{id}', '/api/users/{id}/role', '/api/users/me/enrollments', '/api/users/me/enrollments/{eventId}']) {
      expect(doc.paths, path).to.have.property(path);
    }
    const login = doc.paths['/api/auth/login']!['post'] as { responses: Record<string, { headers?: Record<string, unknown> }> };
    expect(login.responses['429']?.headers).to.have.property('Retry-After');
    const register = doc.paths['/api/auth/register']!['post'] as { requestBody: { content: { 'application/json': { schema: { $ref: string } } } } };
    const schema = (doc['components'] as { schemas: Record<string, { properties: Record<string, { minLength?: number }>; additionalProperties?: boolean }> }).schemas[register.requestBody.content['application/json'].schema.$ref.split('/').at(-1)!]!;
    expect(schema.properties['password']?.minLength).to.equal(10);
    expect(schema.additionalProperties).to.equal(false);
  });
});
