import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { DomainError, err, ok } from '@conference/kernel';
import { clientConstructor, HEALTH_SERVICE, SESSION_SERVICE } from './proto.js';
import { ERROR_CODE_KEY } from './status.js';
import { GrpcServer, type CallContext, type ServiceRegistration, type UnaryHandler } from './server.js';
import { rawUnary, startTestGrpcServer, type TestGrpcServer } from './testing/index.js';
import { silentLogger } from './logger.js';

const ID = '00000000-0000-4000-8000-000000000001';
const session = { id: ID, title: 'Keynote', room: 'Hall', speakerIds: [], version: 1 };

function sessionService(validate: UnaryHandler<{ sessionId: string }, unknown>): ServiceRegistration {
  return { name: SESSION_SERVICE, handlers: { ValidateSession: validate, GetSession: async () => ok({ session }) } };
}

describe('@grpc server', () => {
  let server: TestGrpcServer;
  afterEach(async () => {
    await server?.stop();
  });

  it('answers health Check SERVING for the server and each service, NOT_FOUND for others', async () => {
    server = await startTestGrpcServer([sessionService(async () => ok({ session }))]);
    for (const service of ['', SESSION_SERVICE]) {
      const answer = await rawUnary<{ status: string }>(HEALTH_SERVICE, server.target, 'Check', { service });
      expect(answer.response, service).to.deep.equal({ status: 'SERVING' });
    }
    const unknown = await rawUnary(HEALTH_SERVICE, server.target, 'Check', { service: 'conference.nope.v1.Nope' });
    expect(unknown.code).to.equal(grpc.status.NOT_FOUND);
  });

  it('pushes status changes to Watch streams and ends them on stop, so the stop stays graceful', async () => {
    server = await startTestGrpcServer([sessionService(async () => ok({ session }))]);
    const Health = clientConstructor(HEALTH_SERVICE);
    const client = new Health(server.target, grpc.credentials.createInsecure());
    const seen: string[] = [];
    const stream = (client as unknown as { Watch(request: object): grpc.ClientReadableStream<{ status: string }> }).Watch({ service: SESSION_SERVICE });
    const ended = new Promise<void>((resolve) => { stream.on('end', resolve); stream.on('error', () => resolve()); });
    stream.on('data', (message) => seen.push(message.status));
    await until(() => seen.length === 1);
    server.server.health.set(SESSION_SERVICE, 'NOT_SERVING');
    await until(() => seen.length === 2);
    const started = Date.now();
    await server.stop();
    await ended;
    expect(Date.now() - started).to.be.below(900, 'the stop did not wait for its bound');
    expect(seen.slice(0, 3)).to.deep.equal(['SERVING', 'NOT_SERVING', 'NOT_SERVING']);
    client.close();
  });

  it('maps results and thrown DomainErrors to statuses with the code in trailers; a thrown bug is INTERNAL and the server lives on', async () => {
    let mode = 'ok';
    server = await startTestGrpcServer([
      sessionService(async () => {
        if (mode === 'result') return err(DomainError.notFound('SESSION.NOT_FOUND', 'no session'));
        if (mode === 'throw-domain') throw DomainError.conflict('SESSION.STALE_VERSION', 'stale');
        if (mode === 'throw') throw new TypeError('cannot read properties of undefined (secret internals)');
        if (mode === 'reject-later') return new Promise((_, reject) => setImmediate(() => reject(new Error('async bug'))));
        return ok({ session });
      }),
    ]);
    const call = () => rawUnary(SESSION_SERVICE, server.target, 'ValidateSession', { sessionId: ID });

    mode = 'result';
    let answer = await call();
    expect(answer.code).to.equal(grpc.status.NOT_FOUND);
    expect(answer.details).to.equal('no session');
    expect(answer.trailers?.get(ERROR_CODE_KEY)).to.deep.equal(['SESSION.NOT_FOUND']);

    mode = 'throw-domain';
    answer = await call();
    expect(answer.code).to.equal(grpc.status.ABORTED);

    for (mode of ['throw', 'reject-later']) {
      answer = await call();
      expect(answer.code, mode).to.equal(grpc.status.INTERNAL);
      expect(answer.details).not.to.include('secret');
    }

    mode = 'ok';
    answer = await call();
    expect(answer.code).to.equal(grpc.status.OK);
  });

  it('gives handlers the request id, the caller and the deadline, and runs them inside `around`', async () => {
    const contexts: CallContext[] = [];
    const scopes: string[] = [];
    server = await startTestGrpcServer([sessionService(async (_request, context) => { contexts.push(context); return ok({ session }); })], {
      around: async (context, work) => { scopes.push(context.requestId); return work(); },
    });
    const metadata = new grpc.Metadata();
    metadata.set('x-request-id', 'req-123');
    metadata.set('x-caller', `event-service;user=${ID}`);
    await rawUnary(SESSION_SERVICE, server.target, 'ValidateSession', { sessionId: ID }, { metadata, deadlineMs: 2000 });
    await rawUnary(SESSION_SERVICE, server.target, 'ValidateSession', { sessionId: ID });
    expect(contexts[0]).to.include({ requestId: 'req-123', method: `/${SESSION_SERVICE}/ValidateSession` });
    expect(contexts[0]!.caller).to.deep.equal({ service: 'event-service', userId: ID });
    expect(contexts[0]!.deadline!.getTime()).to.be.within(Date.now() - 100, Date.now() + 2100);
    expect(contexts[1]!.requestId).to.match(/^[0-9a-f-]{36}$/, 'a call without an id gets one');
    expect(contexts[1]!.caller).to.equal(null);
    expect(scopes).to.deep.equal(['req-123', contexts[1]!.requestId]);
  });

  it('lets a call in flight finish on stop, and cuts one that outlives the bound', async () => {
    let release: () => void = () => undefined;
    server = await startTestGrpcServer([sessionService(() => new Promise((resolve) => { release = () => resolve(ok({ session })); }))]);
    const inFlight = rawUnary(SESSION_SERVICE, server.target, 'ValidateSession', { sessionId: ID });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopping = server.stop();
    setTimeout(() => release(), 100);
    await stopping;
    expect((await inFlight).code).to.equal(grpc.status.OK);

    const stuck = new GrpcServer({ services: [sessionService(() => new Promise(() => undefined))], address: '127.0.0.1:0', logger: silentLogger, shutdownTimeoutMs: 200 });
    const port = await stuck.start();
    const hung = rawUnary(SESSION_SERVICE, `127.0.0.1:${port}`, 'ValidateSession', { sessionId: ID });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await stuck.stop();
    expect(Date.now() - started).to.be.within(150, 1000);
    expect((await hung).code).not.to.equal(grpc.status.OK);
  });

  it('refuses a registration that does not match the contract', () => {
    expect(() => new GrpcServer({ services: [{ name: SESSION_SERVICE, handlers: { ValidateSession: async () => ok({}) } }] })).to.throw(/GetSession has no handler/);
    expect(() => new GrpcServer({ services: [{ name: SESSION_SERVICE, handlers: { ValidateSession: async () => ok({}), GetSession: async () => ok({}), Nope: async () => ok({}) } }] })).to.throw(/no rpc Nope/);
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
