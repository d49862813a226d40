import { expect } from 'chai';
import { SESSION_SERVICE, silentLogger, toTimestamp, type ServiceRegistration } from '@conference/adapters-grpc';
import { FAST_TEST_CHANNEL, FAST_TEST_RESILIENCE, playOutage, startTestGrpcServer, timed, type TestGrpcServer } from '@conference/adapters-grpc/testing';
import type { SessionSummary } from '@conference/event';
import { InMemorySessionDirectory, at, uuid } from '@conference/event/testing';
import { sessionDirectoryContract, type SessionDirectoryFixture } from '@conference/event/contracts';
import { DomainError, err, isUuid, ok, type Result } from '@conference/kernel';
import { GrpcSessionDirectory } from './grpc-session-directory.js';

const known: SessionSummary[] = [
  { sessionId: uuid(500), eventId: uuid(1), title: 'Keynote', startsAt: at(0), endsAt: at(45), room: 'Room 1', version: 3 },
  { sessionId: uuid(501), eventId: null, title: 'Stand-alone «workshop»', startsAt: at(60), endsAt: at(180), room: 'Lab', version: 1 },
];

/**
 * SessionService as conference.session.v1 defines it (INVALID_ARGUMENT for a malformed id,
 * NOT_FOUND for an unknown one), answered from the event context's in-memory directory. The
 * session service's own handlers are tested in session-service; this host does not depend on the
 * session context, so its client is tested against the contract.
 */
function sessionServiceOver(directory: InMemorySessionDirectory): ServiceRegistration {
  const lookup = async ({ sessionId }: { sessionId: string }) => {
    if (!isUuid(sessionId)) return err(DomainError.validation('SESSION.INVALID_ID', 'not a session id'));
    const answer = await directory.validateSession(sessionId);
    if (!answer.ok) return err(DomainError.notFound('SESSION.NOT_FOUND', 'no such session'));
    const s = answer.value;
    return ok({
      session: {
        id: s.sessionId,
        ...(s.eventId === null ? {} : { eventId: s.eventId }),
        title: s.title,
        startsAt: toTimestamp(s.startsAt),
        endsAt: toTimestamp(s.endsAt),
        room: s.room,
        speakerIds: [],
        version: s.version,
      },
    });
  };
  return { name: SESSION_SERVICE, handlers: { ValidateSession: lookup, GetSession: lookup } };
}

const connect = (target: string) =>
  GrpcSessionDirectory.connect({ target, callerService: 'event-service', resilience: FAST_TEST_RESILIENCE, channel: FAST_TEST_CHANNEL, logger: silentLogger });

describe('@grpc GrpcSessionDirectory', () =>
  sessionDirectoryContract('GrpcSessionDirectory ↔ SessionService on 127.0.0.1', async (): Promise<SessionDirectoryFixture> => {
    const server = await startTestGrpcServer([sessionServiceOver(new InMemorySessionDirectory(known))]);
    const directory = connect(server.target);
    return {
      directory,
      known,
      goOffline: async () => server.kill(),
      close: async () => {
        directory.close();
        await server.stop();
      },
    };
  }));

describe('@grpc GrpcSessionDirectory when the session service fails', () => {
  let server: TestGrpcServer;
  let directory: GrpcSessionDirectory;
  afterEach(async () => {
    directory.close();
    await server.stop();
  });

  it('a stopped peer: 503 within the deadline, then in milliseconds once the circuit is open, and back without restarting the caller', async () => {
    server = await startTestGrpcServer([sessionServiceOver(new InMemorySessionDirectory(known))]);
    directory = connect(server.target);
    const unavailable = (answer: Result<SessionSummary, DomainError>) => !answer.ok && answer.error.code === 'EVENT.SESSION_DIRECTORY_UNAVAILABLE';
    const report = await playOutage({ server, call: () => directory.validateSession(uuid(501)), isOk: (answer) => answer.ok, isUnavailable: unavailable, resilience: FAST_TEST_RESILIENCE });
    expect(report.firstFailureMs).to.be.below(FAST_TEST_RESILIENCE.deadlineMs + 250);
    expect(report.fastFailuresMs[25]!, 'median fast failure').to.be.below(5);
    expect(report.fastFailuresMs.at(-1)!, 'slowest fast failure').to.be.below(25);
    expect(report.recoveredAfterMs).to.be.below(FAST_TEST_RESILIENCE.breaker.halfOpenAfterMs + 3000);
    // Answers are answers again: a known session, and an unknown one is a 422, not a 503.
    expect(await directory.validateSession(uuid(500))).to.deep.equal({ ok: true, value: known[0] });
    expect(await directory.validateSession(uuid(0xdead))).to.deep.include({ ok: false });
  });

  it('a hung peer: 503 within the deadline', async () => {
    server = await startTestGrpcServer([{ name: SESSION_SERVICE, handlers: { ValidateSession: () => new Promise(() => undefined), GetSession: () => new Promise(() => undefined) } }]);
    directory = connect(server.target);
    const answer = await timed(() => directory.validateSession(uuid(500)));
    expect(answer.ms).to.be.below(FAST_TEST_RESILIENCE.deadlineMs + 250);
    expect(!answer.value.ok && answer.value.error).to.include({ kind: 'unavailable', code: 'EVENT.SESSION_DIRECTORY_UNAVAILABLE' });
  });

  it('a reply that breaks the contract is a 503, not a wrong session', async () => {
    server = await startTestGrpcServer([{ name: SESSION_SERVICE, handlers: { ValidateSession: async () => ok({ session: { id: uuid(500), title: 'x', room: 'y', version: 1 } }), GetSession: async () => ok({}) } }]);
    directory = connect(server.target);
    const answer = await directory.validateSession(uuid(500));
    expect(!answer.ok && answer.error.code).to.equal('EVENT.SESSION_DIRECTORY_UNAVAILABLE');
  });
});
