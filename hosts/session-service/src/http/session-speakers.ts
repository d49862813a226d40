import { etagOf, expectedVersion, sendResult, type RestApi } from '@conference/http-kit';
import { ok } from '@conference/kernel';
import { AddSpeakerBody, toView, type AddSpeaker, type RemoveSpeaker, type SessionView } from '@conference/session';
import { SessionIdParams, SessionSpeakerParams } from './codecs.js';
import { SESSIONS_PATH } from './sessions.js';
import { SessionViewCodec } from './views.js';

export interface SessionSpeakerRoutesUseCases {
  readonly addSpeaker: AddSpeaker;
  readonly removeSpeaker: RemoveSpeaker;
}

const TAGS = ['sessions'];
const ETAG_HEADER = { ETag: { description: 'The session\'s new version' } };
const etag = (view: Pick<SessionView, 'version'>): string => etagOf(view.version);

/** A session's speakers: add one (checked with the speaker service), remove one. */
export function registerSessionSpeakerRoutes(api: RestApi, useCases: SessionSpeakerRoutesUseCases): void {
  api.route({
    method: 'post', path: `${SESSIONS_PATH}/:id/speakers`, operationId: 'addSessionSpeaker', tags: TAGS, auth: 'required',
    params: SessionIdParams, body: AddSpeakerBody,
    summary: 'Add a speaker to a session (its owner or an admin)',
    description: 'The speaker must exist (422) and be free at that time (409 naming the clash); 503 when the speaker service cannot answer. '
      + 'A version (If-Match or `version`) is optional: adding to the set is safe without one.',
    responses: { 200: { description: 'The session with the speaker', schema: SessionViewCodec, headers: ETAG_HEADER } },
    problems: [409, 422, 503],
  }, async (ctx, { params, body, actor }) => {
    const result = await useCases.addSpeaker.execute({
      actor,
      sessionId: params.id,
      speakerId: body.speakerId,
      expectedVersion: expectedVersion(ctx, body.version),
    });
    sendResult(ctx, result.ok ? ok(toView(result.value)) : result, { etag });
  });

  api.route({
    method: 'delete', path: `${SESSIONS_PATH}/:id/speakers/:speakerId`, operationId: 'removeSessionSpeaker', tags: TAGS, auth: 'required',
    params: SessionSpeakerParams,
    summary: 'Remove a speaker from a session (its owner or an admin)',
    description: '404 when the speaker is not in the session. With If-Match, a different stored version is a 409.',
    responses: { 200: { description: 'The session without the speaker', schema: SessionViewCodec, headers: ETAG_HEADER } },
    problems: [409],
  }, async (ctx, { params, actor }) => {
    const result = await useCases.removeSpeaker.execute({ actor, sessionId: params.id, speakerId: params.speakerId, expectedVersion: expectedVersion(ctx) });
    sendResult(ctx, result.ok ? ok(toView(result.value)) : result, { etag });
  });
}
