import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_KEY, HEALTH_SERVICE, REQUEST_ID_KEY, SESSION_SERVICE, fromTimestamp, type CallContext } from '@conference/adapters-grpc';
import { rawUnary, startTestGrpcServer, type TestGrpcServer } from '@conference/adapters-grpc/testing';
import type { Session } from '@conference/session';
import { createInMemorySessionStore } from '@conference/session/testing';
import { sessionGrpcServiceFor, type SessionMessage, type SessionSummaryMessage } from './session-grpc-service.js';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const UNKNOWN = id(0xdead);

const keynote: Session = {
  id: id(500),
  eventId: id(1),
  ownerId: id(900),
  title: 'Keynote: types, all the way down',
  abstract: 'Why «types» matter',
  startsAt: new Date('2027-03-01T09:00:00.123Z'),
  endsAt: new Date('2027-03-01T09:45:00.456Z'),
  room: 'Room 1',
  speakerIds: [id(701), id(702)],
  createdAt: new Date('2027-01-01T00:00:00.001Z'),
  updatedAt: new Date('2027-01-02T00:00:00.002Z'),
  version: 3,
};
const workshop: Session = { ...keynote, id: id(501), eventId: null, title: 'Stand-alone workshop', speakerIds: [], version: 1 };

describe('@grpc SessionService (session-service handlers on a real server)', () => {
  let server: TestGrpcServer;
  const contexts: CallContext[] = [];
  const call = <Res>(rpc: string, request: object, metadata?: grpc.Metadata) => rawUnary<Res>(SESSION_SERVICE, server.target, rpc, request, { metadata });

  beforeEach(async () => {
    const store = createInMemorySessionStore();
    await store.uow.run(async ({ sessions }) => {
      await sessions.insert(keynote);
      await sessions.insert(workshop);
    });
    contexts.length = 0;
    server = await startTestGrpcServer([sessionGrpcServiceFor(store.uow)], { around: async (context, work) => { contexts.push(context); return work(); } });
  });
  afterEach(async () => {
    await server.stop();
  });

  it('answers health Check SERVING for SessionService', async () => {
    const answer = await rawUnary(HEALTH_SERVICE, server.target, 'Check', { service: SESSION_SERVICE });
    expect(answer.response).to.deep.equal({ status: 'SERVING' });
  });

  it('ValidateSession describes the session, times to the millisecond, no event id for a stand-alone one', async () => {
    const answer = await call<{ session: SessionSummaryMessage }>('ValidateSession', { sessionId: keynote.id.toUpperCase() });
    expect(answer.code).to.equal(grpc.status.OK);
    const session = answer.response!.session;
    expect(session).to.include({ id: keynote.id, eventId: id(1), title: keynote.title, room: 'Room 1', version: 3 });
    expect(session.speakerIds).to.deep.equal([id(701), id(702)]);
    expect(fromTimestamp(session.startsAt)!.toISOString()).to.equal('2027-03-01T09:00:00.123Z');
    expect(fromTimestamp(session.endsAt)!.toISOString()).to.equal('2027-03-01T09:45:00.456Z');

    const standalone = await call<{ session: SessionSummaryMessage }>('ValidateSession', { sessionId: workshop.id });
    expect(standalone.response!.session).not.to.have.property('eventId');
  });

  it('GetSession answers the whole session', async () => {
    const answer = await call<{ session: SessionMessage }>('GetSession', { sessionId: keynote.id });
    const session = answer.response!.session;
    expect(session).to.include({ id: keynote.id, ownerId: id(900), abstract: 'Why «types» matter', version: 3 });
    expect(fromTimestamp(session.createdAt)!.toISOString()).to.equal('2027-01-01T00:00:00.001Z');
    expect(fromTimestamp(session.updatedAt)!.toISOString()).to.equal('2027-01-02T00:00:00.002Z');
  });

  for (const rpc of ['ValidateSession', 'GetSession']) {
    it(`${rpc}: a malformed id is INVALID_ARGUMENT, an unknown one NOT_FOUND; never INTERNAL`, async () => {
      for (const bad of ['not-a-uuid', '', "1' OR '1'='1", '\u0000']) {
        const answer = await call(rpc, { sessionId: bad });
        expect(answer.code, JSON.stringify(bad)).to.equal(grpc.status.INVALID_ARGUMENT);
        expect(answer.trailers?.get(ERROR_CODE_KEY)).to.deep.equal(['SESSION.INVALID_ID']);
      }
      const unknown = await call(rpc, { sessionId: UNKNOWN });
      expect(unknown.code).to.equal(grpc.status.NOT_FOUND);
      expect(unknown.trailers?.get(ERROR_CODE_KEY)).to.deep.equal(['SESSION.NOT_FOUND']);
    });
  }

  it('receives the x-request-id the caller sent', async () => {
    const metadata = new grpc.Metadata();
    metadata.set(REQUEST_ID_KEY, 'gateway-req-7');
    await call('ValidateSession', { sessionId: keynote.id }, metadata);
    expect(contexts.map((c) => c.requestId)).to.deep.equal(['gateway-req-7']);
  });
});
