import * as t from 'io-ts';
import { describeSchema, toJsonSchema } from '@conference/http-kit';
import { IsoDateTime, MAX_PAGE_SIZE, Uuid, boundedInt, boundedString, codecDescriptions, strictObject } from '@conference/kernel';
import { CreateSpeakerBody, HttpUrl, MAX_QUERY_LENGTH, SpeakerLimits, SpeakerLinkBody, UpdateSpeakerBody } from '@conference/speaker';

/**
 * The codecs of /api/speakers beyond the package's request bodies: path, query, the PATCH body as
 * this host takes it, and the response shapes (documented from the package's views). Also teaches
 * the OpenAPI converter the package's hand-written codecs, which it would show as "any value".
 */

/** The props of a kernel strictObject codec, as registered with the kernel's codec descriptions. */
function propsOf(codec: t.Mixed): { readonly required: t.Props; readonly optional: t.Props } {
  const description = codecDescriptions.get(codec);
  if (description?.kind !== 'strictObject') throw new Error(`${codec.name} is not a strictObject codec`);
  return description;
}

// ----- Schemas for the package's opaque codecs (registered once, on the codec objects themselves)

describeSchema(HttpUrl, {
  type: 'string',
  format: 'uri',
  maxLength: SpeakerLimits.linkUrl.max,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
  description: 'An absolute http or https URL',
});

const profileProps = propsOf(CreateSpeakerBody).optional;
describeSchema(profileProps['links']!, {
  type: 'array',
  maxItems: SpeakerLimits.links.max,
  items: toJsonSchema(SpeakerLinkBody),
});
// userId is `Uuid | null`; the Uuid member is the package's own (typed as a plain string).
const userIdMembers = (profileProps['userId'] as t.UnionType<t.Mixed[]>).types;
for (const member of userIdMembers) {
  if (member.name === 'Uuid') describeSchema(member, { type: 'string', format: 'uuid' });
}

// ----- Requests

/**
 * The speaker id in the path. Any text is accepted and a non-UUID answers 404, as the use cases
 * decide: someone typing a URL has asked for something that is not there, not sent a bad field.
 */
const SpeakerIdText = describeSchema(
  new t.Type<string, string, unknown>('SpeakerId', (u): u is string => typeof u === 'string', (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c, 'must be a string')), t.identity),
  { type: 'string', format: 'uuid' },
);
export const SpeakerIdParams = strictObject({ id: SpeakerIdText }, {}, 'SpeakerIdParams');

/** `?limit=`: query values arrive as text, so the number is parsed here. */
const PageLimit = describeSchema(
  new t.Type<number, string, unknown>(
    'PageLimit',
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= MAX_PAGE_SIZE,
    (u, c) => {
      const n = typeof u === 'string' && /^\d{1,4}$/.test(u) ? Number(u) : NaN;
      return n >= 1 && n <= MAX_PAGE_SIZE ? t.success(n) : t.failure(u, c, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    },
    String,
  ),
  { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 },
);

/** GET /api/speakers: `q` searches name, company and headline; keyset pages by name. */
export const ListSpeakersQuery = strictObject(
  {},
  { q: boundedString(0, MAX_QUERY_LENGTH), limit: PageLimit, cursor: boundedString(1, 1000) },
  'ListSpeakersQuery',
);

/**
 * PATCH /api/speakers/:id as this host takes it: the package's UpdateSpeakerBody with `version`
 * optional, since the version may come in If-Match instead (one of the two is required; both
 * must agree).
 */
const updateProps = propsOf(UpdateSpeakerBody);
export type PatchSpeakerBody = Omit<UpdateSpeakerBody, 'version'> & { readonly version?: number };
export const PatchSpeakerBody = strictObject({}, { ...updateProps.required, ...updateProps.optional }, 'PatchSpeakerBody') as unknown as t.Type<PatchSpeakerBody, unknown, unknown>;

// ----- Responses (the package's SpeakerView and Page<SpeakerView>)

export const SpeakerLinkView = t.type({ label: t.string, url: t.string }, 'SpeakerLinkView');

export const SpeakerView = t.type({
  id: Uuid,
  name: t.string,
  headline: t.string,
  bio: t.string,
  company: t.string,
  links: t.array(SpeakerLinkView),
  userId: t.union([Uuid, t.null]),
  createdBy: Uuid,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: boundedInt(1, Number.MAX_SAFE_INTEGER),
}, 'Speaker');

export const SpeakerPageView = t.type({ items: t.array(SpeakerView), nextCursor: t.union([t.string, t.null]) }, 'SpeakerPage');
