import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { ContainerModule } from 'inversify';
import { HEALTH_SERVICE, REQUEST_ID_KEY, SESSION_SERVICE, type GrpcServer } from '@conference/adapters-grpc';
import { rawUnary } from '@conference/adapters-grpc/testing';
import { currentRequestId } from '@conference/http-kit';
import { TEST_AUDIENCE, TEST_ISSUER, createTestTokens, requestTo } from '@conference/http-kit/testing';
import { createInMemorySessionStore } from '@conference/session/testing';
import { memoryConfig } from '../config.js';
import { createContainer } from '../container.js';
import { sessionBody } from '../http/session-test-kit.js';
import { createApp } from '../app.js';
import { InMemorySessionStore } from '../tokens.js';
import { createGrpcServer } from './server.js';

describe('session-service gRPC server (as main composes it)', () => {
  let server: GrpcServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('serves, from the same container, the sessions written over HTTP; health SERVING', async () => {
    const tokens = await createTestTokens();
    const config = memoryConfig({ GRPC_PORT: '0', HOST: '127.0.0.1', JWKS_JSON: JSON.stringify(tokens.signer.jwks()), JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE });
    const container = await createContainer(config);
    const http = await createApp(container, config);
    server = await createGrpcServer(container, config);
    const target = `127.0.0.1:${await server.start()}`;
    const created = await requestTo(http.app).post('/api/sessions').set('Authorization', await tokens.bearer({ role: 'organizer' })).send(sessionBody()).expect(201);
    const health = await rawUnary(HEALTH_SERVICE, target, 'Check', { service: SESSION_SERVICE });
    expect(health.response).to.deep.equal({ status: 'SERVING' });
    const answer = await rawUnary<{ session: { id: string; title: string; version: number } }>(SESSION_SERVICE, target, 'ValidateSession', { sessionId: created.body.id });
    expect(answer.code).to.equal(grpc.status.OK);
    expect(answer.response!.session).to.include({ id: created.body.id, title: created.body.title, version: 1 });
  });

  it('runs each call inside the caller\'s x-request-id, so the use case (and what it logs or publishes) carries it', async () => {
    const seen: (string | undefined)[] = [];
    const recording = new ContainerModule(({ rebind }) => {
      rebind<InMemorySessionStore>(InMemorySessionStore).toConstantValue(createInMemorySessionStore((scope) => ({
        ...scope,
        sessions: Object.assign(Object.create(scope.sessions) as typeof scope.sessions, {
          findById: (id: string) => {
            seen.push(currentRequestId());
            return scope.sessions.findById(id);
          },
        }),
      })));
    });
    const config = memoryConfig({ GRPC_PORT: '0', HOST: '127.0.0.1' });
    server = await createGrpcServer(await createContainer(config, recording), config);
    const port = await server.start();
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_KEY, 'req-from-event-service');
    const answer = await rawUnary(SESSION_SERVICE, `127.0.0.1:${port}`, 'ValidateSession', { sessionId: '6f1c7a52-1d0e-4b8a-9c3e-2a4b5c6d7e8f' }, { metadata });
    expect(answer.code).to.equal(grpc.status.NOT_FOUND);
    expect(seen).to.deep.equal(['req-from-event-service']);
  });
});
