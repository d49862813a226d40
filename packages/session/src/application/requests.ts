import * as t from 'io-ts';
import { IsoDateTime, boundedInt, boundedString, isUuid, strictObject } from '@conference/kernel';
import { ABSTRACT_MAX, ROOM_MAX, SPEAKERS_MAX, TITLE_MAX } from '../domain/session.js';

/**
 * io-ts codecs of the /api/sessions request bodies and query (DESIGN §3), shared by the hosts
 * and the OpenAPI generator. Strings are trimmed, unknown fields refused, times decoded to Dates.
 */

/**
 * A UUID as a plain string. The kernel's `Uuid` is branded with a type (`UuidBrand`) the kernel
 * does not export, so codecs built from it cannot be exported with declarations (TS2883).
 */
export const Uuid = new t.Type<string, string, unknown>(
  'Uuid',
  (u): u is string => typeof u === 'string' && isUuid(u),
  (u, c) => (typeof u === 'string' && isUuid(u) ? t.success(u) : t.failure(u, c, 'must be a UUID')),
  t.identity,
);

/** Speaker ids: UUIDs, each at most once, at most SPEAKERS_MAX. Paths come out as `speakerIds[2]`. */
const uuidArray = t.array(Uuid);
export const SpeakerIds = new t.Type<string[], string[], unknown>(
  `SpeakerIds(0..${SPEAKERS_MAX})`,
  (u): u is string[] => uuidArray.is(u) && u.length <= SPEAKERS_MAX && new Set(u.map((s) => s.toLowerCase())).size === u.length,
  (u, c) => {
    // The extra context entry makes the array the parent of each element, so paths read `speakerIds[i]`.
    const decoded = uuidArray.validate(u, [...c, { key: '', type: uuidArray, actual: u }]);
    if (decoded._tag === 'Left') return decoded;
    const ids = decoded.right as string[];
    if (ids.length > SPEAKERS_MAX) return t.failure(u, c, `must have at most ${SPEAKERS_MAX} speakers`);
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      if (seen.has(id.toLowerCase())) {
        return t.failure(id, [...c, { key: '', type: uuidArray, actual: u }, { key: String(i), type: Uuid, actual: id }], 'is listed twice');
      }
      seen.add(id.toLowerCase());
    }
    return t.success(ids);
  },
  t.identity,
);

const Title = boundedString(1, TITLE_MAX);
const Abstract = boundedString(0, ABSTRACT_MAX);
const Room = boundedString(1, ROOM_MAX);

/** POST /api/sessions. `eventId` absent or null: a stand-alone session. */
export const CreateSessionBody = strictObject(
  { title: Title, abstract: Abstract, startsAt: IsoDateTime, endsAt: IsoDateTime, room: Room, speakerIds: SpeakerIds },
  { eventId: t.union([Uuid, t.null]) },
  'CreateSessionBody',
);
export type CreateSessionBody = t.TypeOf<typeof CreateSessionBody>;

/**
 * PATCH /api/sessions/:id. `version` is the version the client last read (optimistic
 * concurrency; a host may take it from If-Match instead and merge it in). `eventId` cannot be
 * changed: see SessionChanges.
 */
export const UpdateSessionBody = strictObject(
  { version: boundedInt(1, Number.MAX_SAFE_INTEGER) },
  { title: Title, abstract: Abstract, startsAt: IsoDateTime, endsAt: IsoDateTime, room: Room, speakerIds: SpeakerIds },
  'UpdateSessionBody',
);
export type UpdateSessionBody = t.TypeOf<typeof UpdateSessionBody>;

/** POST /api/sessions/:id/speakers. `version` is optional: adding to the set is safe without it. */
export const AddSpeakerBody = strictObject({ speakerId: Uuid }, { version: boundedInt(1, Number.MAX_SAFE_INTEGER) }, 'AddSpeakerBody');
export type AddSpeakerBody = t.TypeOf<typeof AddSpeakerBody>;

/** `limit` arrives as a query string. */
const LimitFromString = new t.Type<number, string, unknown>(
  'Limit',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1,
  (u, c) => (typeof u === 'string' && /^[1-9]\d{0,5}$/.test(u) ? t.success(Number(u)) : t.failure(u, c, 'must be a positive integer')),
  String,
);

/** GET /api/sessions query: filters (DESIGN §3) and keyset pagination. */
export const ListSessionsQuery = strictObject(
  {},
  {
    eventId: Uuid,
    speakerId: Uuid,
    from: IsoDateTime,
    to: IsoDateTime,
    limit: LimitFromString,
    cursor: boundedString(1, 500),
  },
  'ListSessionsQuery',
);
export type ListSessionsQuery = t.TypeOf<typeof ListSessionsQuery>;
