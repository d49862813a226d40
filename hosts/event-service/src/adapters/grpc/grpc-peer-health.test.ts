import { expect } from 'chai';
import { SESSION_SERVICE, silentLogger } from '@conference/adapters-grpc';
import { FAST_TEST_CHANNEL, startTestGrpcServer, type TestGrpcServer } from '@conference/adapters-grpc/testing';
import { DomainError, err } from '@conference/kernel';
import { GrpcPeerHealth } from './grpc-peer-health.js';

const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: Error) => error.message);

describe('@grpc GrpcPeerHealth (grpc.health.v1 Check, for /ready)', () => {
  let server: TestGrpcServer;
  let health: GrpcPeerHealth;
  beforeEach(async () => {
    const notUsed = async () => err(DomainError.notFound('SESSION.NOT_FOUND', 'not used'));
    server = await startTestGrpcServer([{ name: SESSION_SERVICE, handlers: { ValidateSession: notUsed, GetSession: notUsed } }]);
    health = GrpcPeerHealth.connect({ peer: 'session-service', target: server.target, callerService: 'event-service', serviceName: SESSION_SERVICE, timeoutMs: 300, channel: FAST_TEST_CHANNEL, logger: silentLogger });
  });
  afterEach(async () => {
    health.close();
    await server.stop();
  });

  it('resolves while the peer says SERVING', async () => {
    expect(await failureOf(health.check())).to.equal(null);
  });

  it('rejects, saying so, when the service is NOT_SERVING (the peer is draining)', async () => {
    server.server.health.set(SESSION_SERVICE, 'NOT_SERVING');
    expect(await failureOf(health.check())).to.contain('NOT_SERVING');
  });

  it('rejects within its timeout when the peer is down, and resolves again once it is back', async () => {
    server.kill();
    const started = Date.now();
    expect(await failureOf(health.check())).to.match(/UNAVAILABLE|DEADLINE/);
    expect(Date.now() - started).to.be.below(1000);
    await server.start();
    let answer: string | null = 'not yet';
    for (let i = 0; i < 40 && answer !== null; i++) {
      answer = await failureOf(health.check());
      if (answer !== null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answer).to.equal(null);
  });

  it('an unknown service name is a failure, not a pass', async () => {
    const other = GrpcPeerHealth.connect({ peer: 'session-service', target: server.target, callerService: 'event-service', serviceName: 'conference.nothing.v1.Nope', logger: silentLogger });
    try {
      expect(await failureOf(other.check())).to.not.equal(null);
    } finally {
      other.close();
    }
  });
});
