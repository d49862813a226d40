import { createHash } from 'node:crypto';
import type { GetSchedule, GetScheduleCalendar, LinkSession, UnlinkSession } from '@conference/event';
import { LinkSessionBody } from '@conference/event';
import { sendResult, type RestApi } from '@conference/http-kit';
import { ok } from '@conference/kernel';
import { EVENTS_PATH } from './events-routes.js';
import { EventIdParams, EventSessionParams, ProgrammeEntryViewCodec, ScheduleViewCodec } from './schemas.js';

export interface ProgrammeRouteUseCases {
  readonly linkSession: LinkSession;
  readonly unlinkSession: UnlinkSession;
  readonly getSchedule: GetSchedule;
  readonly getScheduleCalendar: GetScheduleCalendar;
}

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';
/** Calendar clients poll a subscribed feed; five minutes keeps it current without being hammered for it. */
const CALENDAR_MAX_AGE_SECONDS = 300;

/**
 * A validator for the feed that ignores DTSTAMP (the time the text was generated, different on
 * every request): equal ETags mean equal schedules, so a polling calendar gets 304s until
 * something changes.
 */
export const calendarEtag = (calendar: string): string =>
  `W/"${createHash('sha256').update(calendar.replace(/^DTSTAMP:.*$/gm, '')).digest('base64url').slice(0, 27)}"`;

/** The event's programme (event_sessions): linking existing sessions, and the schedule as JSON and iCalendar. */
export function registerProgrammeRoutes(api: RestApi, useCases: ProgrammeRouteUseCases): void {
  const tags = ['programme'];

  api.route({
    method: 'post', path: `${EVENTS_PATH}/:id/sessions`, operationId: 'linkSession', tags, auth: 'required', params: EventIdParams, body: LinkSessionBody,
    summary: 'Add an existing session to the event\'s programme',
    description:
      'Checked at once with the session service (gRPC ValidateSession): 422 EVENT.SESSION_NOT_FOUND for an unknown session, ' +
      '409 EVENT.SESSION_OF_ANOTHER_EVENT, 503 EVENT.SESSION_DIRECTORY_UNAVAILABLE (with Retry-After) when the session service cannot answer. ' +
      'Idempotent: 201 when added, 200 when it was already listed.',
    responses: {
      201: { description: 'Added', schema: ProgrammeEntryViewCodec, headers: { Location: { description: 'The event\'s schedule' } } },
      200: { description: 'Already in the programme', schema: ProgrammeEntryViewCodec },
    },
    problems: [409, 422, 503],
  }, async (ctx, { params, body, actor }) => {
    const linked = await useCases.linkSession.execute({ actor, eventId: params.id, sessionId: body.sessionId });
    if (!linked.ok) return sendResult(ctx, linked);
    sendResult(ctx, ok(linked.value.entry), {
      status: linked.value.added ? 201 : 200,
      ...(linked.value.added ? { location: () => `${EVENTS_PATH}/${params.id.toLowerCase()}/schedule` } : {}),
    });
  });

  api.route({
    method: 'delete', path: `${EVENTS_PATH}/:id/sessions/:sessionId`, operationId: 'unlinkSession', tags, auth: 'required', params: EventSessionParams,
    summary: 'Take a manually linked session out of the programme',
    description: 'Idempotent: 204 also when it was not listed. A session created for this event follows the session service (409 EVENT.SESSION_OWNED_BY_EVENT).',
    responses: { 204: { description: 'Not in the programme (any more)' } },
    problems: [409],
  }, async (ctx, { params, actor }) => {
    sendResult(ctx, await useCases.unlinkSession.execute({ actor, eventId: params.id, sessionId: params.sessionId }), { status: 204 });
  });

  api.route({
    method: 'get', path: `${EVENTS_PATH}/:id/schedule`, operationId: 'getSchedule', tags, auth: 'optional', params: EventIdParams,
    summary: 'The event and its sessions by start time',
    responses: { 200: { description: 'The schedule', schema: ScheduleViewCodec } },
  }, async (ctx, { params, actor }) => {
    sendResult(ctx, await useCases.getSchedule.execute({ actor, eventId: params.id }));
  });

  api.route({
    method: 'get', path: `${EVENTS_PATH}/:id/schedule.ics`, operationId: 'getScheduleCalendar', tags, auth: 'optional', params: EventIdParams,
    summary: 'The schedule as an iCalendar feed (subscribable: webcal)',
    description: 'The event and each session as a VEVENT. Revalidate with If-None-Match: 304 while the schedule is unchanged.',
    responses: {
      200: {
        description: 'RFC 5545 calendar',
        contentType: 'text/calendar',
        schema: { type: 'string' },
        headers: {
          'Content-Disposition': { description: 'inline, with a file name' },
          'Cache-Control': { description: `public (private with a token), max-age=${CALENDAR_MAX_AGE_SECONDS}` },
          ETag: { description: 'Weak validator of the schedule' },
        },
      },
      304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    },
  }, async (ctx, { params, actor }) => {
    const answer = await useCases.getScheduleCalendar.execute({ actor, eventId: params.id });
    if (!answer.ok) return sendResult(ctx, answer);
    const { calendar } = answer.value;
    const etag = calendarEtag(calendar);
    // A draft's feed (only its organizer sees it) must not land in a shared cache.
    ctx.set('Cache-Control', `${actor ? 'private' : 'public'}, max-age=${CALENDAR_MAX_AGE_SECONDS}`);
    ctx.set('Vary', 'Authorization');
    ctx.set('ETag', etag);
    ctx.set('Content-Disposition', `inline; filename="event-${params.id.toLowerCase()}.ics"`);
    const ifNoneMatch = ctx.get('If-None-Match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.type = CALENDAR_CONTENT_TYPE;
    ctx.body = calendar;
  });
}
