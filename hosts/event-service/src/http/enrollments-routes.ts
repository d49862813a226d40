import type { GetMyEnrollment, ListEnrollments} from '@conference/event';
import { ListEnrollmentsQuery } from '@conference/event';
import { sendResult, type RestApi } from '@conference/http-kit';
import { EVENTS_PATH } from './events-routes.js';
import { EnrollmentPageCodec, EnrollmentViewCodec, EventIdParams } from './schemas.js';

export interface EnrollmentsRouteUseCases {
  readonly listEnrollments: ListEnrollments;
  readonly getMyEnrollment: GetMyEnrollment;
}

/**
 * Reading enrollments. They are written by the user.enrolled / user.unenrolled consumers (users
 * enroll through the user service, DESIGN §2), never through these routes.
 */
export function registerEnrollmentsRoutes(api: RestApi, useCases: EnrollmentsRouteUseCases): void {
  const tags = ['enrollments'];

  api.route({
    method: 'get', path: `${EVENTS_PATH}/:id/enrollments`, operationId: 'listEnrollments', tags, auth: 'required',
    params: EventIdParams, query: ListEnrollmentsQuery,
    summary: 'The event\'s enrollments, oldest first, with waitlist positions',
    description: 'The event\'s organizer and admins only.',
    responses: { 200: { description: 'A page of enrollments', schema: EnrollmentPageCodec } },
  }, async (ctx, { params, query, actor }) => {
    const { status, ...page } = query;
    sendResult(ctx, await useCases.listEnrollments.execute({ actor, eventId: params.id, ...page, ...(status ? { statuses: status } : {}) }));
  });

  api.route({
    method: 'get', path: `${EVENTS_PATH}/:id/enrollments/me`, operationId: 'getMyEnrollment', tags, auth: 'required', params: EventIdParams,
    summary: 'The caller\'s own enrollment in the event',
    description: '404 ENROLLMENT.NOT_FOUND when the caller never asked, or while the request is still on its way (the user service shows it as pending).',
    responses: { 200: { description: 'The enrollment', schema: EnrollmentViewCodec } },
  }, async (ctx, { params, actor }) => {
    ctx.set('Cache-Control', 'private, no-store');
    sendResult(ctx, await useCases.getMyEnrollment.execute({ actor, eventId: params.id }));
  });
}
