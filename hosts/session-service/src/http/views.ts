import * as t from 'io-ts';
import { describeSchema } from '@conference/http-kit';
import type { SessionDetailsView, SessionPageView, SessionView, SpeakerSummaryView } from '@conference/session';

/**
 * The response shapes of /api/sessions as io-ts codecs, for the OpenAPI document. The views are
 * TypeScript interfaces in the session package; the `Same` checks below fail the build when a
 * view and its codec drift apart.
 */

/** A string codec of its own, so describeSchema (keyed by codec object) documents only this meaning. */
const documentedString = (name: string, schema: Record<string, unknown>) =>
  describeSchema(new t.Type<string, string, unknown>(name, t.string.is, t.string.validate, t.identity), { type: 'string', ...schema });

const Uuid = documentedString('Uuid', { format: 'uuid' });
const DateTime = documentedString('DateTime', { format: 'date-time' });
const Version = describeSchema(new t.Type<number, number, unknown>('Version', t.number.is, t.number.validate, t.identity), { type: 'integer', minimum: 1 });

export const SpeakerSummaryViewCodec = t.type({ id: Uuid, name: t.string, headline: t.string, company: t.string }, 'SpeakerSummary');

const sessionFields = {
  id: Uuid,
  eventId: t.union([Uuid, t.null]),
  ownerId: Uuid,
  title: t.string,
  abstract: t.string,
  startsAt: DateTime,
  endsAt: DateTime,
  room: t.string,
  speakerIds: t.array(Uuid),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: Version,
};

export const SessionViewCodec = t.type(sessionFields, 'Session');

export const SessionDetailsViewCodec = t.type(
  { ...sessionFields, speakers: t.union([t.array(SpeakerSummaryViewCodec), t.null]) },
  'SessionDetails',
);

export const SessionPageViewCodec = t.type({ items: t.array(SessionViewCodec), nextCursor: t.union([t.string, t.null]) }, 'SessionPage');

// Compile-time checks: each codec describes exactly its view.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<t.TypeOf<typeof SpeakerSummaryViewCodec>, SpeakerSummaryView>,
  Same<t.TypeOf<typeof SessionViewCodec>, SessionView>,
  Same<t.TypeOf<typeof SessionDetailsViewCodec>, SessionDetailsView>,
  Same<t.TypeOf<typeof SessionPageViewCodec>, SessionPageView>,
] = [true, true, true, true];
void sameShapes;
