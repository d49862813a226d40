import * as t from 'io-ts';
import { Uuid, boundedInt, boundedString, strictObject } from '@conference/kernel';
import { SpeakerLimits, isHttpUrl } from './speaker-profile.js';

/**
 * io-ts codecs of the /api/speakers request bodies (DESIGN §3), shared by the HTTP host and the
 * OpenAPI generator. They check the same limits as the entity, so a bad body is refused at the
 * edge with a path per field, and the entity stays the last word.
 */

/** An absolute http(s) URL, trimmed, at most 2000 characters. */
export const HttpUrl = new t.Type<string, string, unknown>(
  'HttpUrl',
  (u): u is string => typeof u === 'string' && isHttpUrl(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'must be a string');
    const trimmed = u.trim();
    return isHttpUrl(trimmed)
      ? t.success(trimmed)
      : t.failure(u, c, `must be an http or https URL of at most ${SpeakerLimits.linkUrl.max} characters`);
  },
  t.identity,
);

/** An array of at most `max` items; element errors keep `links[2].url` style paths. */
function boundedArray<C extends t.Mixed>(item: C, max: number): t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown> {
  const array = t.array(item);
  return new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
    `Array<${item.name}>(..${max})`,
    (u): u is t.TypeOf<C>[] => array.is(u) && u.length <= max,
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, 'must be an array');
      if (u.length > max) return t.failure(u, c, `must have at most ${max} items`);
      // The empty-key entry makes the array the parent of its items, so paths read `links[0]`.
      return array.validate(u, [...c, { key: '', type: array, actual: u }]);
    },
    array.encode,
  );
}

/**
 * The kernel's Uuid, typed as a plain string: the kernel does not export its brand type, and an
 * exported codec whose type mentions it cannot be declared (TS2883).
 */
const UuidText = new t.Type<string, string, unknown>('Uuid', (u): u is string => Uuid.is(u), (u, c) => Uuid.validate(u, c), t.identity);

const text = (limits: { min: number; max: number }) => boundedString(limits.min, limits.max);

export const SpeakerLinkBody = strictObject(
  { label: text(SpeakerLimits.linkLabel), url: HttpUrl },
  {},
  'SpeakerLink',
);

const profileFields = {
  headline: text(SpeakerLimits.headline),
  bio: text(SpeakerLimits.bio),
  company: text(SpeakerLimits.company),
  links: boundedArray(SpeakerLinkBody, SpeakerLimits.links.max),
  /** null or absent: a profile not linked to a platform account. */
  userId: t.union([UuidText, t.null]),
};

/** `POST /api/speakers`: only `name` is required; text fields default to '' and links to []. */
export const CreateSpeakerBody = strictObject({ name: text(SpeakerLimits.name) }, profileFields, 'CreateSpeakerBody');
export type CreateSpeakerBody = t.TypeOf<typeof CreateSpeakerBody>;

/**
 * `PATCH /api/speakers/:id`: any subset of the fields plus the `version` the client last saw
 * (a host that prefers `If-Match` fills it from the header before decoding).
 */
export const UpdateSpeakerBody = strictObject(
  { version: boundedInt(1, Number.MAX_SAFE_INTEGER) },
  { name: text(SpeakerLimits.name), ...profileFields },
  'UpdateSpeakerBody',
);
export type UpdateSpeakerBody = t.TypeOf<typeof UpdateSpeakerBody>;
