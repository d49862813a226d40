import { HttpProblem, etagOf, expectedVersion, sendResult, type RestApi } from '@conference/http-kit';
import { ok } from '@conference/kernel';
import {
  CreateSessionBody,
  ListSessionsQuery,
  toDetailsView,
  toPageView,
  toView,
  type CreateSession,
  type DeleteSession,
  type GetSession,
  type ListSessions,
  type SessionView,
  type UpdateSession,
} from '@conference/session';
import { PatchSessionBody, SessionIdParams } from './codecs.js';
import { SessionDetailsViewCodec, SessionPageViewCodec, SessionViewCodec } from './views.js';

export interface SessionRoutesUseCases {
  readonly createSession: CreateSession;
  readonly updateSession: UpdateSession;
  readonly deleteSession: DeleteSession;
  readonly getSession: GetSession;
  readonly listSessions: ListSessions;
}

export const SESSIONS_PATH = '/api/sessions';
export const sessionLocation = (view: Pick<SessionView, 'id'>): string => `${SESSIONS_PATH}/${view.id}`;
const etag = (view: Pick<SessionView, 'version'>): string => etagOf(view.version);

const TAGS = ['sessions'];
const ETAG_HEADER = { ETag: { description: 'The session\'s version, for If-Match' } };
const IF_MATCH_NOTE = 'Send the version you read as If-Match (the ETag) or as `version` in the body; a different stored version is a 409.';

/** The /api/sessions resource itself: list, create, read, change, delete. Each handler is one use case. */
export function registerSessionRoutes(api: RestApi, useCases: SessionRoutesUseCases): void {
  api.route({
    method: 'get', path: SESSIONS_PATH, operationId: 'listSessions', tags: TAGS, auth: 'optional', query: ListSessionsQuery,
    summary: 'List sessions',
    description: 'Filters: eventId, speakerId, and the window [from, to) (sessions overlapping it). Keyset pages: pass `nextCursor` back as `cursor`.',
    responses: { 200: { description: 'One page of sessions in start order', schema: SessionPageViewCodec } },
  }, async (ctx, { query }) => {
    const result = await useCases.listSessions.execute(query);
    sendResult(ctx, result.ok ? ok(toPageView(result.value)) : result);
  });

  api.route({
    method: 'post', path: SESSIONS_PATH, operationId: 'createSession', tags: TAGS, auth: 'required', body: CreateSessionBody,
    summary: 'Create a session (organizers and admins)',
    description: 'Every speaker must exist in the speaker service (422 naming the unknown ids; 503 when it cannot answer). '
      + 'A speaker already in an overlapping session, or the room of the event taken at that time, is a 409 naming the clash.',
    responses: { 201: { description: 'Created', schema: SessionViewCodec, headers: { ...ETAG_HEADER, Location: { description: 'The new session' } } } },
    problems: [409, 422, 503],
  }, async (ctx, { body, actor }) => {
    const result = await useCases.createSession.execute({ actor, ...body });
    sendResult(ctx, result.ok ? ok(toView(result.value)) : result, { status: 201, etag, location: sessionLocation });
  });

  api.route({
    method: 'get', path: `${SESSIONS_PATH}/:id`, operationId: 'getSession', tags: TAGS, auth: 'optional', params: SessionIdParams,
    summary: 'One session with its speakers',
    description: '`speakers` is null when the speaker service cannot answer right now; `speakerIds` is always there.',
    responses: { 200: { description: 'The session', schema: SessionDetailsViewCodec, headers: ETAG_HEADER } },
  }, async (ctx, { params }) => {
    const result = await useCases.getSession.execute({ sessionId: params.id });
    sendResult(ctx, result.ok ? ok(toDetailsView(result.value)) : result, { etag });
  });

  api.route({
    method: 'patch', path: `${SESSIONS_PATH}/:id`, operationId: 'updateSession', tags: TAGS, auth: 'required', params: SessionIdParams, body: PatchSessionBody,
    summary: 'Change a session (its owner or an admin)',
    description: `Only the fields sent change; eventId cannot. ${IF_MATCH_NOTE} Without either: 428.`,
    responses: { 200: { description: 'The changed session', schema: SessionViewCodec, headers: ETAG_HEADER } },
    problems: [409, 422, 428, 503],
  }, async (ctx, { params, body, actor }) => {
    const { version, ...changes } = body;
    const expected = expectedVersion(ctx, version);
    if (expected === undefined) {
      // Without a version an edit could silently overwrite someone else's (lost update).
      throw new HttpProblem(428, 'SESSION.VERSION_REQUIRED', `Send If-Match with the session's ETag, or its version in the body. ${IF_MATCH_NOTE}`);
    }
    const result = await useCases.updateSession.execute({ actor, sessionId: params.id, expectedVersion: expected, changes });
    sendResult(ctx, result.ok ? ok(toView(result.value)) : result, { etag });
  });

  api.route({
    method: 'delete', path: `${SESSIONS_PATH}/:id`, operationId: 'deleteSession', tags: TAGS, auth: 'required', params: SessionIdParams,
    summary: 'Delete a session (its owner or an admin)',
    description: 'It leaves every programme (session.deleted). With If-Match, a different stored version is a 409.',
    responses: { 204: { description: 'Deleted' } },
    problems: [409],
  }, async (ctx, { params, actor }) => {
    const result = await useCases.deleteSession.execute({ actor, sessionId: params.id, expectedVersion: expectedVersion(ctx) });
    sendResult(ctx, result, { status: 204 });
  });
}
