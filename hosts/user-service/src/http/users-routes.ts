import { HttpProblem, etagOf, expectedVersion, sendResult, type RestApi } from '@conference/http-kit';
import {
  ChangeRoleBody,
  EnrollmentRequestBody,
  ListUsersQuery,
  UpdateMeBody,
  type CancelEnrollment,
  type ChangeRole,
  type GetMe,
  type GetUser,
  type ListUsers,
  type RequestEnrollment,
  type UpdateMe,
  type UserView,
} from '@conference/user';
import { EnrollmentRequestViewCodec, EventIdParams, IdParams, UserPageCodec, UserViewCodec } from './views.js';

export interface UsersRouteDeps {
  readonly getMe: GetMe;
  readonly updateMe: UpdateMe;
  readonly listUsers: ListUsers;
  readonly getUser: GetUser;
  readonly changeRole: ChangeRole;
  readonly requestEnrollment: RequestEnrollment;
  readonly cancelEnrollment: CancelEnrollment;
}

const TAGS = ['users'];
const etag = (user: UserView) => etagOf(user.version);
const ETAG_HEADER = { ETag: { description: 'The account\'s version; send it back in If-Match to update' } };

/**
 * /api/users. The `me` routes are registered before `:id` so that `/api/users/me` is never read
 * as an id (the router tries routes in registration order).
 */
export function registerUsersRoutes(api: RestApi, deps: UsersRouteDeps): void {
  api.route({
    method: 'get', path: '/api/users/me', operationId: 'getMe', tags: TAGS, auth: 'required',
    summary: 'My account',
    responses: { 200: { description: 'The caller\'s account', schema: UserViewCodec, headers: ETAG_HEADER } },
    problems: [404],
  }, async (ctx, { actor }) => {
    sendResult(ctx, await deps.getMe.execute({ actor }), { etag });
  });

  api.route({
    method: 'patch', path: '/api/users/me', operationId: 'updateMe', tags: TAGS, auth: 'required',
    summary: 'Change my name and/or email',
    description: 'Optimistic concurrency: the version read, as If-Match (the ETag) or the body\'s `version`; 428 with neither, 409 when stale.',
    body: UpdateMeBody,
    responses: { 200: { description: 'The changed account', schema: UserViewCodec, headers: ETAG_HEADER } },
    problems: [404, 409, 428],
  }, async (ctx, { actor, body }) => {
    const version = expectedVersion(ctx, body.version);
    if (version === undefined) {
      throw new HttpProblem(428, 'REQUEST.PRECONDITION_REQUIRED', 'Send the version you read: If-Match with the ETag, or `version` in the body');
    }
    sendResult(ctx, await deps.updateMe.execute({ actor, name: body.name, email: body.email, expectedVersion: version }), { etag });
  });

  api.route({
    method: 'post', path: '/api/users/me/enrollments', operationId: 'requestEnrollment', tags: TAGS, auth: 'required',
    summary: 'Ask to enroll in an event',
    description: 'Accepted, pending: the event service decides (enrolled, waitlisted or rejected) and tells by message and email. Asking twice is a no-op there.',
    body: EnrollmentRequestBody,
    responses: { 202: { description: 'Accepted: pending', schema: EnrollmentRequestViewCodec } },
    problems: [404],
  }, async (ctx, { actor, body }) => {
    sendResult(ctx, await deps.requestEnrollment.execute({ actor, eventId: body.eventId }), { status: 202 });
  });

  api.route({
    method: 'delete', path: '/api/users/me/enrollments/:eventId', operationId: 'cancelEnrollment', tags: TAGS, auth: 'required',
    summary: 'Ask to withdraw from an event',
    description: 'Accepted, pending: the event service frees the seat and promotes the first waitlisted person.',
    params: EventIdParams,
    responses: { 202: { description: 'Accepted: pending', schema: EnrollmentRequestViewCodec } },
  }, async (ctx, { actor, params }) => {
    sendResult(ctx, await deps.cancelEnrollment.execute({ actor, eventId: params.eventId }), { status: 202 });
  });

  api.route({
    method: 'get', path: '/api/users', operationId: 'listUsers', tags: TAGS, auth: 'required',
    summary: 'Every account (admin)',
    description: 'In sign-up order, keyset-paged: pass `nextCursor` back as `cursor`. `q` filters by part of a name or email.',
    query: ListUsersQuery,
    responses: { 200: { description: 'A page of accounts', schema: UserPageCodec } },
  }, async (ctx, { actor, query }) => {
    sendResult(ctx, await deps.listUsers.execute({ actor, q: query.q, limit: query.limit, cursor: query.cursor ?? null }));
  });

  api.route({
    method: 'get', path: '/api/users/:id', operationId: 'getUser', tags: TAGS, auth: 'required',
    summary: 'One account (the user themselves or an admin)',
    params: IdParams,
    responses: { 200: { description: 'The account', schema: UserViewCodec, headers: ETAG_HEADER } },
  }, async (ctx, { actor, params }) => {
    sendResult(ctx, await deps.getUser.execute({ actor, userId: params.id }), { etag });
  });

  api.route({
    method: 'patch', path: '/api/users/:id/role', operationId: 'changeRole', tags: TAGS, auth: 'required',
    summary: 'Change an account\'s role (admin)',
    description: 'The platform keeps at least one admin (409 USER.LAST_ADMIN). If-Match or `version` optional: when given, a stale one is a 409.',
    params: IdParams,
    body: ChangeRoleBody,
    responses: { 200: { description: 'The account with its new role', schema: UserViewCodec, headers: ETAG_HEADER } },
    problems: [409],
  }, async (ctx, { actor, params, body }) => {
    const version = expectedVersion(ctx, body.version);
    sendResult(ctx, await deps.changeRole.execute({ actor, userId: params.id, role: body.role, expectedVersion: version }), { etag });
  });
}
