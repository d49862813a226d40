import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { DomainError, err, ok, type Result } from '@conference/kernel';
import { GrpcPeer, type PeerFailure } from './client.js';
import { silentLogger } from './logger.js';
import { SESSION_SERVICE } from './proto.js';
import type { CallContext, ServiceRegistration } from './server.js';
import { FAST_TEST_CHANNEL, FAST_TEST_RESILIENCE, closedPort, startTestGrpcServer, type TestGrpcServer } from './testing/index.js';

const ID = '00000000-0000-4000-8000-000000000001';

/** A SessionService that answers its own name, so a test can tell which instance served a call. */
function namedService(name: string, seen: CallContext[] = []): ServiceRegistration {
  return {
    name: SESSION_SERVICE,
    handlers: {
      ValidateSession: async (request: { sessionId: string }, context: CallContext) => {
        seen.push(context);
        return request.sessionId === ID ? ok({ session: { id: ID, title: name } }) : err(DomainError.notFound('SESSION.NOT_FOUND', 'no such session'));
      },
      GetSession: async () => ok({}),
    },
  };
}

type Answer = Result<{ session: { id: string; title: string } }, PeerFailure>;

describe('@grpc peer calls (real servers on 127.0.0.1)', () => {
  const servers: TestGrpcServer[] = [];
  const peers: GrpcPeer[] = [];
  const peer = (target: string, correlationId: string | null = null) => {
    const made = new GrpcPeer({
      peer: 'session-service',
      service: SESSION_SERVICE,
      target,
      callerService: 'event-service',
      correlation: { current: () => ({ correlationId, causationId: null }) },
      resilience: FAST_TEST_RESILIENCE,
      channel: FAST_TEST_CHANNEL,
      logger: silentLogger,
    });
    peers.push(made);
    return made;
  };
  const validate = (client: GrpcPeer, sessionId = ID, actingUserId: string | null = null): Promise<Answer> => client.unary('ValidateSession', { sessionId }, { actingUserId });

  afterEach(async () => {
    for (const made of peers.splice(0)) made.close();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('passes the request id and the caller in metadata', async () => {
    const seen: CallContext[] = [];
    servers.push(await startTestGrpcServer([namedService('a', seen)]));
    const answer = await validate(peer(servers[0]!.target, 'req-from-gateway'), ID, '00000000-0000-4000-8000-0000000000aa');
    expect(answer.ok).to.equal(true);
    expect(seen[0]!.requestId).to.equal('req-from-gateway');
    expect(seen[0]!.caller).to.deep.equal({ service: 'event-service', userId: '00000000-0000-4000-8000-0000000000aa' });
    expect(seen[0]!.deadline).to.be.instanceOf(Date);
  });

  it("answers the peer's NOT_FOUND as its DomainError, without retrying it", async () => {
    const seen: CallContext[] = [];
    servers.push(await startTestGrpcServer([namedService('a', seen)]));
    const answer = await validate(peer(servers[0]!.target), '00000000-0000-4000-8000-00000000dead');
    expect(answer.ok).to.equal(false);
    if (!answer.ok) {
      expect(answer.error.status).to.equal(grpc.status.NOT_FOUND);
      expect(answer.error.error).to.include({ kind: 'not_found', code: 'SESSION.NOT_FOUND' });
    }
    expect(seen).to.have.length(1);
  });

  it('spreads calls over every instance of an address list (round robin)', async () => {
    servers.push(await startTestGrpcServer([namedService('a')]), await startTestGrpcServer([namedService('b')]));
    const client = peer(`127.0.0.1:${servers[0]!.port},127.0.0.1:${servers[1]!.port}`);
    const served: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const answer = await validate(client);
      if (!answer.ok) throw new Error(GrpcPeer.describe(answer.error));
      served[answer.value.session.title] = (served[answer.value.session.title] ?? 0) + 1;
    }
    expect(served['a']).to.be.at.least(10);
    expect(served['b']).to.be.at.least(10);
  });

  it('resolves a dns:/// target', async () => {
    servers.push(await startTestGrpcServer([namedService('a')]));
    const answer = await validate(peer(`dns:///localhost:${servers[0]!.port}`));
    expect(answer.ok && answer.value.session.title).to.equal('a');
  });

  it('keeps answering from the other instance when one of two stops', async () => {
    servers.push(await startTestGrpcServer([namedService('a')]), await startTestGrpcServer([namedService('b')]));
    const client = peer(`ipv4:127.0.0.1:${servers[0]!.port},127.0.0.1:${servers[1]!.port}`);
    expect((await validate(client)).ok).to.equal(true);
    servers[0]!.kill();
    for (let i = 0; i < 20; i++) {
      const answer = await validate(client);
      expect(answer.ok && answer.value.session.title, `call ${i}`).to.equal('b');
    }
    expect(client.circuit).to.equal('closed');
  });

  it('a peer that never listened: unavailable within the deadline, then fast while the circuit is open', async () => {
    const client = peer(`127.0.0.1:${await closedPort()}`);
    const started = Date.now();
    const first = await validate(client);
    expect(Date.now() - started).to.be.below(FAST_TEST_RESILIENCE.deadlineMs + 250);
    expect(!first.ok && first.error.error.kind).to.equal('unavailable');
    expect(client.circuit).to.equal('open');
  });
});
