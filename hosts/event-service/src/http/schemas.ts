import * as t from 'io-ts';
import {
  ENROLLMENT_STATUSES,
  EVENT_STATUSES,
  ListEnrollmentsQuery,
  ListEventsQuery,
  type EnrollmentView,
  type EventDetailView,
  type EventView,
  type ProgrammeEntryView,
  type ScheduleView,
} from '@conference/event';
import { describeSchema, fieldsOf } from '@conference/http-kit';
import { MAX_PAGE_SIZE, Uuid, isUuid, strictObject, type Page } from '@conference/kernel';

/**
 * The shapes of /api/events for the OpenAPI document: path parameters (decoded with these codecs),
 * and the responses, written as codecs of the context's views. The views are TypeScript types, so
 * `Same<...>` below makes the compiler refuse a codec that drifts from its view, and the route
 * tests decode every response body with these codecs.
 */

// Path parameters. A malformed id is a 400 naming the parameter, not a silent 404.
export const EventIdParams = strictObject({ id: Uuid }, {}, 'EventIdParams');
export const EventSessionParams = strictObject({ id: Uuid, sessionId: Uuid }, {}, 'EventSessionParams');

// The query codecs' hand-written parts (`?limit=`, `?status=a,b`) are opaque to the converter.
for (const query of [ListEventsQuery, ListEnrollmentsQuery]) {
  for (const field of fieldsOf(query) ?? []) {
    if (field.name === 'limit') describeSchema(field.codec, { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, description: 'Page size (default 20)' });
    if (field.name === 'cursor') describeSchema(field.codec, { type: 'string', minLength: 1, maxLength: 500, description: 'nextCursor of the previous page' });
  }
}
const statusList = (codec: t.Mixed | undefined, values: readonly string[]) => {
  if (codec) describeSchema(codec, { type: 'string', pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`, description: `Comma-separated: ${values.join(', ')}` });
};
statusList(fieldsOf(ListEventsQuery)?.find((f) => f.name === 'status')?.codec, EVENT_STATUSES);
statusList(fieldsOf(ListEnrollmentsQuery)?.find((f) => f.name === 'status')?.codec, ENROLLMENT_STATUSES);

const UuidText = describeSchema(t.refinement(t.string, isUuid, 'UuidText'), { type: 'string', format: 'uuid' });
const DateTimeText = describeSchema(
  t.refinement(t.string, (s) => !Number.isNaN(Date.parse(s)), 'DateTimeText'),
  { type: 'string', format: 'date-time' },
);
const Count = describeSchema(t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'Count'), { type: 'integer', minimum: 0 });
const Positive = describeSchema(t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 1, 'Positive'), { type: 'integer', minimum: 1 });
const oneOf = <V extends string>(values: readonly V[], name: string) =>
  t.keyof(Object.fromEntries(values.map((v) => [v, null])) as Record<V, null>, name);

export const EventViewCodec = t.type({
  id: UuidText,
  organizerId: UuidText,
  title: t.string,
  description: t.string,
  venue: t.string,
  startsAt: DateTimeText,
  endsAt: DateTimeText,
  capacity: Positive,
  status: oneOf(EVENT_STATUSES, 'EventStatus'),
  seatsTaken: Count,
  seatsLeft: Count,
  createdAt: DateTimeText,
  updatedAt: DateTimeText,
  version: Positive,
}, 'Event');

export const ProgrammeEntryViewCodec = t.type({
  sessionId: UuidText,
  title: t.string,
  startsAt: DateTimeText,
  endsAt: DateTimeText,
  room: t.string,
  version: Positive,
  linkedManually: t.boolean,
}, 'ProgrammeEntry');

export const EventDetailViewCodec = t.intersection([
  EventViewCodec,
  t.type({ waitlisted: Count, schedule: t.readonlyArray(ProgrammeEntryViewCodec) }),
], 'EventDetail');

export const EnrollmentViewCodec = t.intersection([
  t.type({
    eventId: UuidText,
    userId: UuidText,
    name: t.string,
    email: t.string,
    status: oneOf(ENROLLMENT_STATUSES, 'EnrollmentStatus'),
    createdAt: DateTimeText,
    updatedAt: DateTimeText,
  }),
  t.partial({ position: Positive, reason: t.string }),
], 'Enrollment');

export const ScheduleViewCodec = t.type({ event: EventViewCodec, sessions: t.readonlyArray(ProgrammeEntryViewCodec) }, 'Schedule');

const pageOf = <C extends t.Mixed>(item: C, name: string) =>
  t.type({ items: t.readonlyArray(item), nextCursor: t.union([t.string, t.null]) }, name);
export const EventPageCodec = pageOf(EventViewCodec, 'EventPage');
export const EnrollmentPageCodec = pageOf(EnrollmentViewCodec, 'EnrollmentPage');

/** Compile-time: the codec describes exactly the view (both ways assignable). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<t.TypeOf<typeof EventViewCodec>, EventView>,
  Same<t.TypeOf<typeof EventDetailViewCodec>, EventDetailView>,
  Same<t.TypeOf<typeof ProgrammeEntryViewCodec>, ProgrammeEntryView>,
  Same<t.TypeOf<typeof EnrollmentViewCodec>, EnrollmentView>,
  Same<t.TypeOf<typeof ScheduleViewCodec>, ScheduleView>,
  Same<t.TypeOf<typeof EventPageCodec>, Page<EventView>>,
  Same<t.TypeOf<typeof EnrollmentPageCodec>, Page<EnrollmentView>>,
] = [true, true, true, true, true, true, true];
void sameShapes;
