import * as t from 'io-ts';
import { IsoDateTime, MAX_PAGE_SIZE, Uuid, boundedInt, boundedString, strictObject } from '@conference/kernel';
import { ENROLLMENT_STATUSES, type EnrollmentStatus } from '../domain/enrollment.js';
import { EVENT_LIMITS, EVENT_STATUSES, type EventStatus } from '../domain/event.js';

/**
 * io-ts codecs for the bodies and query strings of /api/events, shared by the host and the OpenAPI
 * generator. Bodies refuse unknown fields; strings are trimmed.
 */

const { title, description, venue, capacity } = EVENT_LIMITS;

const eventFields = {
  title: boundedString(title.min, title.max),
  venue: boundedString(venue.min, venue.max),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  capacity: boundedInt(capacity.min, capacity.max),
};

/** POST /api/events. `description` may be left out (empty). */
export const CreateEventBody = strictObject(eventFields, { description: boundedString(description.min, description.max) }, 'CreateEventBody');
export type CreateEventBody = t.TypeOf<typeof CreateEventBody>;

/** PATCH /api/events/:id: any subset of the fields, and the version the change is based on (or send If-Match). */
export const UpdateEventBody = strictObject(
  {},
  { ...eventFields, description: boundedString(description.min, description.max), version: boundedInt(1, Number.MAX_SAFE_INTEGER) },
  'UpdateEventBody',
);
export type UpdateEventBody = t.TypeOf<typeof UpdateEventBody>;

/** POST /api/events/:id/publish and /cancel: optionally the version the action is based on. */
export const EventActionBody = strictObject({}, { version: boundedInt(1, Number.MAX_SAFE_INTEGER) }, 'EventActionBody');
export type EventActionBody = t.TypeOf<typeof EventActionBody>;

/** POST /api/events/:id/sessions. */
export const LinkSessionBody = strictObject({ sessionId: Uuid }, {}, 'LinkSessionBody');
export type LinkSessionBody = t.TypeOf<typeof LinkSessionBody>;

/** A query-string integer (`?limit=20`). */
const intFromString = (min: number, max: number) =>
  new t.Type<number, string, unknown>(
    `intFromString(${min}..${max})`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => {
      if (typeof u !== 'string' || !/^\d+$/.test(u)) return t.failure(u, c, 'must be a whole number');
      const n = Number(u);
      return n >= min && n <= max ? t.success(n) : t.failure(u, c, `must be between ${min} and ${max}`);
    },
    String,
  );

/** A comma-separated list of known values (`?status=published,cancelled`). */
const listOf = <V extends string>(name: string, allowed: readonly V[]) =>
  new t.Type<V[], string, unknown>(
    name,
    (u): u is V[] => Array.isArray(u) && u.every((v) => allowed.includes(v as V)),
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, 'must be a string');
      const values = u.split(',').map((v) => v.trim()).filter((v) => v !== '');
      const unknown = values.filter((v) => !allowed.includes(v as V));
      if (values.length === 0 || unknown.length > 0) return t.failure(u, c, `must be a comma-separated list of ${allowed.join(', ')}`);
      return t.success([...new Set(values)] as V[]);
    },
    (values) => values.join(','),
  );

const pageFields = { limit: intFromString(1, MAX_PAGE_SIZE), cursor: boundedString(1, 500) };

/** GET /api/events?status=&from=&to=&q=&enrolled=me&organizerId=&limit=&cursor= */
export const ListEventsQuery = strictObject(
  {},
  {
    status: listOf<EventStatus>('EventStatusList', EVENT_STATUSES),
    from: IsoDateTime,
    to: IsoDateTime,
    q: boundedString(1, 200),
    enrolled: t.literal('me'),
    organizerId: Uuid,
    ...pageFields,
  },
  'ListEventsQuery',
);
export type ListEventsQuery = t.TypeOf<typeof ListEventsQuery>;

/** GET /api/events/:id/enrollments?status=&limit=&cursor= */
export const ListEnrollmentsQuery = strictObject(
  {},
  { status: listOf<EnrollmentStatus>('EnrollmentStatusList', ENROLLMENT_STATUSES), ...pageFields },
  'ListEnrollmentsQuery',
);
export type ListEnrollmentsQuery = t.TypeOf<typeof ListEnrollmentsQuery>;

/** Any other paged list: ?limit=&cursor= */
export const PageQueryCodec = strictObject({}, pageFields, 'PageQuery');
