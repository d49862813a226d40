export { type Speaker, type SpeakerChanges, type NewSpeaker, type Revision, createSpeaker, reviseSpeaker, speakerSortKey } from './domain/speaker.js';
export { type SpeakerProfile, type SpeakerLink, SpeakerLimits, checkProfile, isHttpUrl } from './domain/speaker-profile.js';
export { mayCreateSpeaker, mayChangeSpeaker, mayRelinkSpeaker, mayDeleteSpeaker } from './domain/speaker-policy.js';
export { UserAlreadyLinkedError, SpeakerErrors, SpeakerErrorCodes } from './domain/errors.js';
export { HttpUrl, SpeakerLinkBody, CreateSpeakerBody, UpdateSpeakerBody } from './domain/codecs.js';

export { type SpeakerRepository, type SpeakerListQuery, type SpeakerListPosition } from './ports/speaker-repository.js';
export { type SpeakerScope } from './ports/speaker-scope.js';
export { type SpeakerQueries } from './ports/speaker-queries.js';

export { CreateSpeaker, type CreateSpeakerInput } from './application/create-speaker.js';
export { UpdateSpeaker, type UpdateSpeakerInput } from './application/update-speaker.js';
export { DeleteSpeaker, type DeleteSpeakerInput, type DeleteSpeakerOutput } from './application/delete-speaker.js';
export { GetSpeaker, type GetSpeakerInput } from './application/get-speaker.js';
export { ListSpeakers, type ListSpeakersInput, MAX_QUERY_LENGTH } from './application/list-speakers.js';
export { GetSpeakersByIds, type GetSpeakersByIdsInput, type GetSpeakersByIdsOutput, MAX_BATCH_IDS } from './application/get-speakers-by-ids.js';
export { SpeakerMessageTypes, speakerChangedData, speakerDeletedData } from './application/speaker-messages.js';
export { normaliseSpeakerId } from './application/speaker-ids.js';
export { type SpeakerView, type SpeakerSummary, toView, toSummary, toPageView } from './application/speaker-view.js';
