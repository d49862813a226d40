import { SPEAKER_SERVICE, type ServiceRegistration, type UnaryHandler } from '@conference/adapters-grpc';
import { DomainError, err, ok, type UnitOfWork } from '@conference/kernel';
import { GetSpeaker, GetSpeakersByIds, SpeakerErrorCodes, normaliseSpeakerId, toSummary, type SpeakerScope, type SpeakerSummary } from '@conference/speaker';
import { UnitOfWorkSpeakerQueries } from '@conference/speaker/testing';

/** conference.speaker.v1 messages as proto-loader hands them over (camelCase). */
export interface GetSpeakerRequest {
  readonly speakerId: string;
}

export interface BatchGetSpeakersRequest {
  readonly speakerIds: string[];
}

export interface BatchGetSpeakersResponse {
  readonly speakers: SpeakerSummary[];
  readonly missingIds: string[];
}

export interface SpeakerGrpcUseCases {
  readonly getSpeaker: GetSpeaker;
  readonly getSpeakersByIds: GetSpeakersByIds;
}

/**
 * SpeakerService. GetSpeaker answers INVALID_ARGUMENT (SPEAKER.INVALID_ID) for an id that is not a
 * UUID, where the REST use case says NOT_FOUND: a peer that sends a malformed id has a bug worth
 * seeing as one, while a person typing a URL has only asked for something that is not there.
 * BatchGetSpeakers lists unknown ids in `missingIds` rather than failing, so the caller learns
 * every unknown id in one round trip.
 */
export function speakerGrpcService(useCases: SpeakerGrpcUseCases): ServiceRegistration {
  const getSpeaker: UnaryHandler<GetSpeakerRequest, { speaker: SpeakerSummary }> = async (request) => {
    if (normaliseSpeakerId(request.speakerId) === null) {
      return err(DomainError.validation(SpeakerErrorCodes.invalidId, `${JSON.stringify(request.speakerId)} is not a speaker id`, [{ path: 'speakerId', message: 'must be a UUID' }]));
    }
    const result = await useCases.getSpeaker.execute({ speakerId: request.speakerId });
    return result.ok ? ok({ speaker: toSummary(result.value) }) : result;
  };

  const batchGetSpeakers: UnaryHandler<BatchGetSpeakersRequest, BatchGetSpeakersResponse> = async (request) => {
    const result = await useCases.getSpeakersByIds.execute({ ids: request.speakerIds });
    return result.ok ? ok({ speakers: result.value.speakers.map(toSummary), missingIds: [...result.value.missingIds] }) : result;
  };

  return { name: SPEAKER_SERVICE, handlers: { GetSpeaker: getSpeaker, BatchGetSpeakers: batchGetSpeakers } };
}

/** The registration over a unit of work (one per read), with the use cases built here: for compositions without a pool (tests). */
export const speakerGrpcServiceFor = (uow: UnitOfWork<Pick<SpeakerScope, 'speakers'>>): ServiceRegistration => {
  const speakers = new UnitOfWorkSpeakerQueries(uow);
  return speakerGrpcService({ getSpeaker: new GetSpeaker(speakers), getSpeakersByIds: new GetSpeakersByIds(speakers) });
};
