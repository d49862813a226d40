import type { CancelEvent, CreateEvent, DeleteEvent, GetEvent, ListEvents, PublishEvent, UpdateEvent } from '@conference/event';
import { CreateEventBody, EventActionBody, ListEventsQuery, UpdateEventBody } from '@conference/event';
import { etagOf, expectedVersion, sendResult, type RestApi } from '@conference/http-kit';
import { EventDetailViewCodec, EventIdParams, EventPageCodec, EventViewCodec } from './schemas.js';

export interface EventsRouteUseCases {
  readonly listEvents: ListEvents;
  readonly createEvent: CreateEvent;
  readonly getEvent: GetEvent;
  readonly updateEvent: UpdateEvent;
  readonly deleteEvent: DeleteEvent;
  readonly publishEvent: PublishEvent;
  readonly cancelEvent: CancelEvent;
}

export const EVENTS_PATH = '/api/events';
export const eventLocation = (id: string): string => `${EVENTS_PATH}/${id}`;

const ETAG_HEADER = { ETag: { description: 'The event\'s version as a strong ETag; send it back in If-Match' } };
const VERSIONED = 'Based on a version: If-Match with the ETag, or `version` in the body; 409 EVENT.STALE_VERSION when the event changed since.';

/** /api/events and /api/events/:id: the event's own life cycle (DESIGN §2: draft → published → cancelled). */
export function registerEventsRoutes(api: RestApi, useCases: EventsRouteUseCases): void {
  const tags = ['events'];

  api.route({
    method: 'get', path: EVENTS_PATH, operationId: 'listEvents', tags, auth: 'optional', query: ListEventsQuery,
    summary: 'List events by start time',
    description: 'Published and cancelled events for everyone, drafts for their organizer (all of them for admins). `enrolled=me` needs a token.',
    responses: { 200: { description: 'A page of events', schema: EventPageCodec } },
    problems: [401],
  }, async (ctx, { query, actor }) => {
    const { status, enrolled, ...rest } = query;
    sendResult(ctx, await useCases.listEvents.execute({
      actor,
      ...rest,
      ...(status ? { statuses: status } : {}),
      ...(enrolled ? { enrolled } : {}),
    }));
  });

  api.route({
    method: 'post', path: EVENTS_PATH, operationId: 'createEvent', tags, auth: 'required', body: CreateEventBody,
    summary: 'Create an event (a draft owned by the caller)',
    description: 'Organizers and admins only.',
    responses: { 201: { description: 'The draft', schema: EventViewCodec, headers: { ...ETAG_HEADER, Location: { description: 'The new event' } } } },
  }, async (ctx, { body, actor }) => {
    sendResult(ctx, await useCases.createEvent.execute({ actor, ...body }), {
      status: 201,
      etag: (view) => etagOf(view.version),
      location: (view) => eventLocation(view.id),
    });
  });

  api.route({
    method: 'get', path: `${EVENTS_PATH}/:id`, operationId: 'getEvent', tags, auth: 'optional', params: EventIdParams,
    summary: 'One event with its seats taken and left, its waitlist length and its schedule',
    description: 'A draft is found only by its organizer and admins.',
    responses: { 200: { description: 'The event', schema: EventDetailViewCodec, headers: ETAG_HEADER } },
  }, async (ctx, { params, actor }) => {
    sendResult(ctx, await useCases.getEvent.execute({ actor, eventId: params.id }), { etag: (view) => etagOf(view.version) });
  });

  api.route({
    method: 'patch', path: `${EVENTS_PATH}/:id`, operationId: 'updateEvent', tags, auth: 'required', params: EventIdParams, body: UpdateEventBody,
    summary: 'Change an event',
    description: `The organizer or an admin; any subset of the fields. A cancelled event is read-only. ${VERSIONED}`,
    responses: { 200: { description: 'The changed event', schema: EventViewCodec, headers: ETAG_HEADER } },
    problems: [409],
  }, async (ctx, { params, body, actor }) => {
    const { version, ...changes } = body;
    const expected = expectedVersion(ctx, version);
    sendResult(ctx, await useCases.updateEvent.execute({ actor, eventId: params.id, changes, ...(expected === undefined ? {} : { expectedVersion: expected }) }), {
      etag: (view) => etagOf(view.version),
    });
  });

  api.route({
    method: 'delete', path: `${EVENTS_PATH}/:id`, operationId: 'deleteEvent', tags, auth: 'required', params: EventIdParams,
    summary: 'Delete a draft',
    description: 'Only drafts (409 EVENT.NOT_DRAFT otherwise: cancel a published event). If-Match is honoured.',
    responses: { 204: { description: 'Deleted' } },
    problems: [409],
  }, async (ctx, { params, actor }) => {
    const expected = expectedVersion(ctx);
    sendResult(ctx, await useCases.deleteEvent.execute({ actor, eventId: params.id, ...(expected === undefined ? {} : { expectedVersion: expected }) }), { status: 204 });
  });

  const transition = (action: 'publish' | 'cancel', useCase: PublishEvent | CancelEvent, summary: string, description: string) =>
    api.route({
      method: 'post', path: `${EVENTS_PATH}/:id/${action}`, operationId: `${action}Event`, tags, auth: 'required', params: EventIdParams,
      body: EventActionBody, bodyRequired: false,
      summary,
      description: `${description} Repeating it changes nothing. ${VERSIONED}`,
      responses: { 200: { description: 'The event', schema: EventViewCodec, headers: ETAG_HEADER } },
      problems: [409, 422],
    }, async (ctx, { params, body, actor }) => {
      const expected = expectedVersion(ctx, body?.version);
      sendResult(ctx, await useCase.execute({ actor, eventId: params.id, ...(expected === undefined ? {} : { expectedVersion: expected }) }), {
        etag: (view) => etagOf(view.version),
      });
    });
  transition('publish', useCases.publishEvent, 'Publish a draft', 'The start must still be ahead (422 EVENT.ALREADY_STARTED).');
  transition('cancel', useCases.cancelEvent, 'Cancel a published event', 'Every enrolled and waitlisted attendee is notified.');
}
