import { silentLogger } from '@conference/adapters-grpc';
import { FAST_TEST_CHANNEL, FAST_TEST_RESILIENCE, startTestGrpcServer } from '@conference/adapters-grpc/testing';
import type { SessionSummary } from '@conference/event';
import { sessionDirectoryContract, type SessionDirectoryFixture } from '@conference/event/contracts';
import { GrpcSessionDirectory } from '@conference/event-service';
import type { Session, SpeakerSummary } from '@conference/session';
import { createInMemorySessionStore } from '@conference/session/testing';
import { speakerDirectoryContract, type SpeakerDirectoryFixture } from '@conference/session/contracts';
import { GrpcSpeakerDirectory, sessionGrpcServiceFor } from '@conference/session-service';
import type { Speaker } from '@conference/speaker';
import { InMemorySpeakerStore } from '@conference/speaker/testing';
import { speakerGrpcServiceFor } from '@conference/speaker-service';

/**
 * The peer-lookup contracts of the callers (event → session, session → speaker) run against the
 * gRPC clients talking to the REAL servers of the other services — their own handlers and use
 * cases — over sockets on 127.0.0.1. The hosts' own tests check each side against the proto alone;
 * only here, outside every service, may both sides meet.
 */
const at = (minutes: number) => new Date(Date.UTC(2027, 4, 3, 9, minutes, 0, 123));
const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const sessions: Session[] = [
  { id: id(1), eventId: id(100), ownerId: id(900), title: 'Keynote «opening»', abstract: '', startsAt: at(0), endsAt: at(45), room: 'Hall A', speakerIds: [id(500)], createdAt: at(0), updatedAt: at(0), version: 3 },
  { id: id(2), eventId: null, ownerId: id(900), title: 'Stand-alone workshop', abstract: 'Hands on', startsAt: at(60), endsAt: at(180), room: 'Lab', speakerIds: [], createdAt: at(0), updatedAt: at(0), version: 1 },
];
const asSummary = (s: Session): SessionSummary => ({ sessionId: s.id, eventId: s.eventId, title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, room: s.room, version: s.version });

const speakers: Speaker[] = [
  { id: id(500), name: 'Ada Lovelace', headline: 'Analyst', bio: '', company: 'Engines Ltd', links: [], userId: null, createdBy: id(900), createdAt: at(0), updatedAt: at(0), version: 1 },
  { id: id(501), name: 'Grace Hopper', headline: 'Compilers', bio: '', company: 'Navy', links: [], userId: null, createdBy: id(900), createdAt: at(0), updatedAt: at(0), version: 2 },
  { id: id(502), name: 'Émile Borel', headline: '', company: '', links: [], bio: '', userId: null, createdBy: id(900), createdAt: at(0), updatedAt: at(0), version: 1 },
];
const asSpeakerSummary = (s: Speaker): SpeakerSummary => ({ id: s.id, name: s.name, headline: s.headline, company: s.company });

describe('@grpc event → session: GrpcSessionDirectory against the session service\'s own gRPC server', () =>
  sessionDirectoryContract('GrpcSessionDirectory ↔ session-service SessionService', async (): Promise<SessionDirectoryFixture> => {
    const store = createInMemorySessionStore();
    await store.uow.run(async ({ sessions: repository }) => { for (const session of sessions) await repository.insert(session); });
    const server = await startTestGrpcServer([sessionGrpcServiceFor(store.uow)]);
    const directory = GrpcSessionDirectory.connect({ target: server.target, callerService: 'event-service', resilience: FAST_TEST_RESILIENCE, channel: FAST_TEST_CHANNEL, logger: silentLogger });
    return {
      directory,
      known: sessions.map(asSummary),
      goOffline: async () => server.kill(),
      close: async () => {
        directory.close();
        await server.stop();
      },
    };
  }));

describe('@grpc session → speaker: GrpcSpeakerDirectory against the speaker service\'s own gRPC server', () =>
  speakerDirectoryContract('GrpcSpeakerDirectory ↔ speaker-service SpeakerService', async (): Promise<SpeakerDirectoryFixture> => {
    const store = new InMemorySpeakerStore();
    await store.uow.run(async ({ speakers: repository }) => { for (const speaker of speakers) await repository.insert(speaker); });
    const server = await startTestGrpcServer([speakerGrpcServiceFor(store.uow)]);
    const directory = GrpcSpeakerDirectory.connect({ target: server.target, callerService: 'session-service', resilience: FAST_TEST_RESILIENCE, channel: FAST_TEST_CHANNEL, logger: silentLogger });
    return {
      directory,
      known: speakers.map(asSpeakerSummary),
      unreachable: async () => {
        server.kill();
        return directory;
      },
      close: async () => {
        directory.close();
        await server.stop();
      },
    };
  }));
