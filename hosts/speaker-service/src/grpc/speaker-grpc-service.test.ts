import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { ERROR_CODE_KEY, HEALTH_SERVICE, SPEAKER_SERVICE } from '@conference/adapters-grpc';
import { rawUnary, startTestGrpcServer, type TestGrpcServer } from '@conference/adapters-grpc/testing';
import { unwrap } from '@conference/kernel';
import { createSpeaker, type Speaker } from '@conference/speaker';
import { InMemorySpeakerStore } from '@conference/speaker/testing';
import { speakerGrpcServiceFor, type BatchGetSpeakersResponse } from './speaker-grpc-service.js';

const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const UNKNOWN = id(0xfff1);

const speaker = (n: number, name: string): Speaker =>
  unwrap(createSpeaker({
    id: id(n),
    profile: { name, headline: `Headline of ${name}`, bio: 'A long bio that gRPC does not send', company: `${name} & Co.`, links: [], userId: null },
    createdBy: id(900),
    now: new Date('2027-01-01T10:00:00.123Z'),
  }));

describe('@grpc SpeakerService (speaker-service handlers on a real server)', () => {
  let server: TestGrpcServer;
  const call = <Res>(rpc: string, request: object) => rawUnary<Res>(SPEAKER_SERVICE, server.target, rpc, request);

  beforeEach(async () => {
    const store = new InMemorySpeakerStore();
    await store.uow.run(async ({ speakers }) => {
      for (const s of [speaker(1, 'Ada'), speaker(2, 'Grace'), speaker(3, 'Émilie')]) await speakers.insert(s);
    });
    server = await startTestGrpcServer([speakerGrpcServiceFor(store.uow)]);
  });
  afterEach(async () => {
    await server.stop();
  });

  it('answers health Check SERVING for SpeakerService', async () => {
    const answer = await rawUnary(HEALTH_SERVICE, server.target, 'Check', { service: SPEAKER_SERVICE });
    expect(answer.response).to.deep.equal({ status: 'SERVING' });
  });

  it('GetSpeaker answers the summary, matching the id without regard to case', async () => {
    const answer = await call('GetSpeaker', { speakerId: id(3).toUpperCase() });
    expect(answer.code).to.equal(grpc.status.OK);
    expect(answer.response).to.deep.equal({ speaker: { id: id(3), name: 'Émilie', headline: 'Headline of Émilie', company: 'Émilie & Co.' } });
  });

  it('GetSpeaker: a malformed id is INVALID_ARGUMENT, an unknown one NOT_FOUND; never INTERNAL', async () => {
    for (const bad of ['not-a-uuid', '', "1' OR '1'='1", 'x'.repeat(10_000)]) {
      const answer = await call('GetSpeaker', { speakerId: bad });
      expect(answer.code, bad.slice(0, 20)).to.equal(grpc.status.INVALID_ARGUMENT);
      expect(answer.trailers?.get(ERROR_CODE_KEY)).to.deep.equal(['SPEAKER.INVALID_ID']);
    }
    const unknown = await call('GetSpeaker', { speakerId: UNKNOWN });
    expect(unknown.code).to.equal(grpc.status.NOT_FOUND);
    expect(unknown.trailers?.get(ERROR_CODE_KEY)).to.deep.equal(['SPEAKER.NOT_FOUND']);
  });

  it('BatchGetSpeakers answers in the order asked, each once, and lists unknown ids', async () => {
    const answer = await call<BatchGetSpeakersResponse>('BatchGetSpeakers', { speakerIds: [id(3), UNKNOWN, id(1), id(3).toUpperCase(), UNKNOWN] });
    expect(answer.code).to.equal(grpc.status.OK);
    expect(answer.response!.speakers.map((s) => s.id)).to.deep.equal([id(3), id(1)]);
    expect(answer.response!.missingIds).to.deep.equal([UNKNOWN]);
    const none = await call<BatchGetSpeakersResponse>('BatchGetSpeakers', { speakerIds: [] });
    expect(none.response).to.deep.equal({ speakers: [], missingIds: [] });
  });

  it('BatchGetSpeakers: a malformed id or more than 100 ids is INVALID_ARGUMENT', async () => {
    const bad = await call('BatchGetSpeakers', { speakerIds: [id(1), 'nope'] });
    expect(bad.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(bad.trailers?.get(ERROR_CODE_KEY)).to.deep.equal(['SPEAKER.INVALID_ID']);
    const many = await call('BatchGetSpeakers', { speakerIds: Array.from({ length: 101 }, (_, i) => id(i + 1000)) });
    expect(many.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(many.trailers?.get(ERROR_CODE_KEY)).to.deep.equal(['SPEAKER.TOO_MANY_IDS']);
  });
});
