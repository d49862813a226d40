import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { REQUEST_ID_KEY, SPEAKER_SERVICE, type GrpcServer } from '@conference/adapters-grpc';
import { rawUnary } from '@conference/adapters-grpc/testing';
import { currentRequestId } from '@conference/http-kit';
import { actors, speakerTestApp } from '../http/speaker-test-kit.js';
import { createSpeakerGrpcServer } from './speaker-grpc-server.js';

describe('@grpc speaker-service gRPC server from the container', () => {
  let server: GrpcServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('serves the speakers the REST API wrote, running each call inside the caller\'s x-request-id', async () => {
    const requestIds: (string | undefined)[] = [];
    // The store's scope decorator runs inside the use case, so it sees the request id in force there.
    const app = await speakerTestApp({ store: { decorate: (scope) => (requestIds.push(currentRequestId()), scope) } });
    const created = await app.create(actors.organizer, { name: 'Ada', company: 'Engines' });
    server = createSpeakerGrpcServer(app.container, { GRPC_PORT: 0 }, { address: '127.0.0.1:0', shutdownTimeoutMs: 1000 });
    const port = await server.start();
    requestIds.length = 0;

    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_KEY, 'grpc-request-7');
    const answer = await rawUnary(SPEAKER_SERVICE, `127.0.0.1:${port}`, 'GetSpeaker', { speakerId: created.id }, { metadata });
    expect(answer.code).to.equal(grpc.status.OK);
    expect(answer.response).to.deep.equal({ speaker: { id: created.id, name: 'Ada', headline: '', company: 'Engines' } });
    expect(requestIds).to.deep.equal(['grpc-request-7']);

    const batch = await rawUnary(SPEAKER_SERVICE, `127.0.0.1:${port}`, 'BatchGetSpeakers', { speakerIds: [created.id] });
    expect(batch.code).to.equal(grpc.status.OK);
    expect(requestIds).to.have.length(2);
    expect(requestIds[1]).to.match(/^[0-9a-f-]{36}$/, 'a call without x-request-id gets a fresh one');
  });
});
