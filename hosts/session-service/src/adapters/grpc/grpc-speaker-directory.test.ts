import { expect } from 'chai';
import { SPEAKER_SERVICE, silentLogger, type ServiceRegistration } from '@conference/adapters-grpc';
import { FAST_TEST_CHANNEL, FAST_TEST_RESILIENCE, closedPort, playOutage, startTestGrpcServer, timed, type TestGrpcServer } from '@conference/adapters-grpc/testing';
import { DomainError, err, isUuid, ok, unwrap, type Result } from '@conference/kernel';
import { isSpeakersNotFound, type SpeakerSummary } from '@conference/session';
import { InMemorySpeakerDirectory } from '@conference/session/testing';
import { speakerDirectoryContract } from '@conference/session/contracts';
import { GrpcSpeakerDirectory } from './grpc-speaker-directory.js';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const known: SpeakerSummary[] = [
  { id: id(1), name: 'Ada Lovelace', headline: 'Analyst', company: 'Analytical Engines' },
  { id: id(2), name: 'Grace Hopper', headline: 'Admiral', company: 'US Navy' },
  { id: id(3), name: 'Émilie du Châtelet', headline: 'Physicist', company: 'Cirey' },
];

/**
 * SpeakerService as conference.speaker.v1 defines it, answered from the session context's
 * in-memory directory. The speaker service's own handlers are tested in speaker-service; this
 * host does not depend on the speaker context, so its client is tested against the contract.
 */
function speakerServiceOver(directory: InMemorySpeakerDirectory): ServiceRegistration {
  return {
    name: SPEAKER_SERVICE,
    handlers: {
      BatchGetSpeakers: async ({ speakerIds }: { speakerIds: string[] }) => {
        if (!speakerIds.every(isUuid)) return err(DomainError.validation('SPEAKER.INVALID_ID', 'speaker ids must be UUIDs'));
        const distinct = [...new Set(speakerIds.map((s) => s.toLowerCase()))];
        const answer = await directory.getSpeakers(distinct);
        if (answer.ok) return ok({ speakers: answer.value, missingIds: [] });
        if (!isSpeakersNotFound(answer.error)) return answer;
        const missing = new Set(answer.error.missingIds);
        const rest = distinct.filter((s) => !missing.has(s));
        return ok({ speakers: rest.length > 0 ? unwrap(await directory.getSpeakers(rest)) : [], missingIds: [...missing] });
      },
      GetSpeaker: async ({ speakerId }: { speakerId: string }) => {
        const answer = await directory.getSpeakers([speakerId]);
        return answer.ok ? ok({ speaker: answer.value[0] }) : err(DomainError.notFound('SPEAKER.NOT_FOUND', 'no such speaker'));
      },
    },
  };
}

const connect = (target: string) =>
  GrpcSpeakerDirectory.connect({ target, callerService: 'session-service', resilience: FAST_TEST_RESILIENCE, channel: FAST_TEST_CHANNEL, logger: silentLogger });

describe('@grpc GrpcSpeakerDirectory', () => speakerDirectoryContract('GrpcSpeakerDirectory ↔ SpeakerService on 127.0.0.1', async () => {
  const server = await startTestGrpcServer([speakerServiceOver(new InMemorySpeakerDirectory(known))]);
  const directory = connect(server.target);
  const others: GrpcSpeakerDirectory[] = [];
  return {
    directory,
    known,
    unreachable: async () => {
      const down = connect(`127.0.0.1:${await closedPort()}`);
      others.push(down);
      return down;
    },
    close: async () => {
      for (const client of [directory, ...others]) client.close();
      await server.stop();
    },
  };
}));

describe('@grpc GrpcSpeakerDirectory when the speaker service fails', () => {
  let server: TestGrpcServer;
  let directory: GrpcSpeakerDirectory;
  afterEach(async () => {
    directory.close();
    await server.stop();
  });

  it('a stopped peer: unavailable within the deadline, then in milliseconds once the circuit is open, and back without restarting the caller', async () => {
    server = await startTestGrpcServer([speakerServiceOver(new InMemorySpeakerDirectory(known))]);
    directory = connect(server.target);
    const unavailable = (answer: Result<SpeakerSummary[], DomainError>) => !answer.ok && answer.error.code === 'SESSION.SPEAKER_DIRECTORY_UNAVAILABLE';
    const report = await playOutage({ server, call: () => directory.getSpeakers([id(2), id(1)]), isOk: (answer) => answer.ok, isUnavailable: unavailable, resilience: FAST_TEST_RESILIENCE });
    expect(report.firstFailureMs).to.be.below(FAST_TEST_RESILIENCE.deadlineMs + 250);
    expect(report.fastFailuresMs[25]!, 'median fast failure').to.be.below(5);
    expect(report.fastFailuresMs.at(-1)!, 'slowest fast failure').to.be.below(25);
    const back = await directory.getSpeakers([id(2), id(1)]);
    expect(back.ok && back.value.map((s) => s.id)).to.deep.equal([id(2), id(1)]);
  });

  it('a hung peer: unavailable within the deadline, not when the peer gives up', async () => {
    const hung: ServiceRegistration = { name: SPEAKER_SERVICE, handlers: { BatchGetSpeakers: () => new Promise(() => undefined), GetSpeaker: () => new Promise(() => undefined) } };
    server = await startTestGrpcServer([hung]);
    directory = connect(server.target);
    const answer = await timed(() => directory.getSpeakers([id(1)]));
    expect(answer.ms).to.be.below(FAST_TEST_RESILIENCE.deadlineMs + 250);
    expect(answer.ms).to.be.at.least(FAST_TEST_RESILIENCE.attemptTimeoutMs - 20, 'it waited for the attempt deadline');
    expect(!answer.value.ok && answer.value.error).to.include({ kind: 'unavailable', code: 'SESSION.SPEAKER_DIRECTORY_UNAVAILABLE' });
  });

  it('answers a malformed id as not found without asking, alongside the ids the peer knows', async () => {
    server = await startTestGrpcServer([speakerServiceOver(new InMemorySpeakerDirectory(known))]);
    directory = connect(server.target);
    const answer = await directory.getSpeakers([id(1), 'not-a-uuid', id(0xbad)]);
    expect(!answer.ok && isSpeakersNotFound(answer.error) && answer.error.missingIds).to.deep.equal(['not-a-uuid', id(0xbad)]);
  });
});
