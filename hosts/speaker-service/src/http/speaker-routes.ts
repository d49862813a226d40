import { HttpProblem, etagOf, expectedVersion, sendResult, type RestApi } from '@conference/http-kit';
import { ok, type Result } from '@conference/kernel';
import {
  CreateSpeakerBody,
  toPageView,
  toView,
  type CreateSpeaker,
  type DeleteSpeaker,
  type GetSpeaker,
  type ListSpeakers,
  type SpeakerView as SpeakerViewShape,
  type UpdateSpeaker,
} from '@conference/speaker';
import { ListSpeakersQuery, PatchSpeakerBody, SpeakerIdParams, SpeakerPageView, SpeakerView } from './speaker-schemas.js';

/** The use cases behind /api/speakers, resolved once at start-up. */
export interface SpeakerRouteUseCases {
  readonly createSpeaker: CreateSpeaker;
  readonly updateSpeaker: UpdateSpeaker;
  readonly deleteSpeaker: DeleteSpeaker;
  readonly getSpeaker: GetSpeaker;
  readonly listSpeakers: ListSpeakers;
}

const TAGS = ['speakers'];
const ETAG_HEADER = { ETag: { description: 'The version of the profile, for If-Match' } };
const mapOk = <A, B, E>(result: Result<A, E>, f: (value: A) => B): Result<B, E> => (result.ok ? ok(f(result.value)) : result);
const etag = (view: SpeakerViewShape) => etagOf(view.version);

/**
 * DESIGN §3 /api/speakers. Reads are public; writes need an access token, and the use cases decide
 * who may do what (organizers and admins any profile, a signed-in user their own).
 */
export function registerSpeakerRoutes(api: RestApi, useCases: SpeakerRouteUseCases): void {
  api.route({
    method: 'get', path: '/api/speakers', operationId: 'listSpeakers', tags: TAGS, auth: 'none',
    summary: 'List speakers',
    description: 'Ordered by name, then id. `q` searches name, company and headline (case-insensitive). Keyset pages: pass `nextCursor` as `cursor`.',
    query: ListSpeakersQuery,
    responses: { 200: { description: 'One page of speakers', schema: SpeakerPageView } },
  }, async (ctx, { query }) => {
    const result = await useCases.listSpeakers.execute({ q: query.q ?? null, limit: query.limit, cursor: query.cursor ?? null });
    sendResult(ctx, mapOk(result, toPageView));
  });

  api.route({
    method: 'post', path: '/api/speakers', operationId: 'createSpeaker', tags: TAGS, auth: 'required',
    summary: 'Create a speaker profile',
    description: 'Organizers and admins create any profile; anyone signed in may create their own (`userId` absent or their id). '
      + 'A user account has at most one profile (409 SPEAKER.USER_ALREADY_LINKED).',
    body: CreateSpeakerBody,
    responses: { 201: { description: 'Created', schema: SpeakerView, headers: { ...ETAG_HEADER, Location: { description: 'The URL of the new profile' } } } },
    problems: [409],
  }, async (ctx, { body, actor }) => {
    const result = await useCases.createSpeaker.execute({ actor, ...body });
    sendResult(ctx, mapOk(result, toView), { status: 201, etag, location: (view) => `/api/speakers/${view.id}` });
  });

  api.route({
    method: 'get', path: '/api/speakers/:id', operationId: 'getSpeaker', tags: TAGS, auth: 'none',
    summary: 'One speaker profile',
    params: SpeakerIdParams,
    responses: { 200: { description: 'The profile', schema: SpeakerView, headers: ETAG_HEADER } },
    problems: [404],
  }, async (ctx, { params }) => {
    sendResult(ctx, mapOk(await useCases.getSpeaker.execute({ speakerId: params.id }), toView), { etag });
  });

  api.route({
    method: 'patch', path: '/api/speakers/:id', operationId: 'updateSpeaker', tags: TAGS, auth: 'required',
    summary: 'Change a speaker profile',
    description: 'Absent fields stay as they are; `userId: null` unlinks the profile. The version the change is based on comes in '
      + '`If-Match` (the ETag) or `version`; neither is 428, a stale one 409. Admins, the organizer who created the profile and its '
      + 'linked user may change it; only admins and that organizer may change `userId`.',
    params: SpeakerIdParams,
    body: PatchSpeakerBody,
    responses: { 200: { description: 'The profile as changed', schema: SpeakerView, headers: ETAG_HEADER } },
    problems: [409, 428],
  }, async (ctx, { params, body, actor }) => {
    const { version: bodyVersion, ...changes } = body;
    const version = expectedVersion(ctx, bodyVersion);
    if (version === undefined) {
      throw new HttpProblem(428, 'REQUEST.VERSION_REQUIRED', 'Say which version the change is based on: If-Match with the ETag, or `version` in the body', {
        errors: [{ path: 'version', message: 'is required when If-Match is absent' }],
      });
    }
    const result = await useCases.updateSpeaker.execute({ actor, speakerId: params.id, expectedVersion: version, changes });
    sendResult(ctx, mapOk(result, toView), { etag });
  });

  api.route({
    method: 'delete', path: '/api/speakers/:id', operationId: 'deleteSpeaker', tags: TAGS, auth: 'required',
    summary: 'Delete a speaker profile',
    description: 'Admins and the organizer who created the profile. With If-Match, refused (409) when the profile changed since. '
      + 'The session service detaches the speaker from every session when speaker.deleted arrives.',
    params: SpeakerIdParams,
    responses: { 204: { description: 'Deleted' } },
    problems: [409],
  }, async (ctx, { params, actor }) => {
    const version = expectedVersion(ctx);
    const result = await useCases.deleteSpeaker.execute({ actor, speakerId: params.id, ...(version === undefined ? {} : { expectedVersion: version }) });
    sendResult(ctx, result, { status: 204 });
  });
}
