import type * as t from 'io-ts';
import { describeSchema } from '@conference/http-kit';
import { codecDescriptions, strictObject } from '@conference/kernel';
import { AddSpeakerBody, ListSessionsQuery, SPEAKERS_MAX, SpeakerIds, UpdateSessionBody } from '@conference/session';

/**
 * The request codecs of /api/sessions come from the session package; this file only adds what the
 * HTTP edge needs on top: JSON Schemas for the package's hand-written codecs (the OpenAPI
 * converter cannot see into a `new t.Type`), path parameter codecs, and the PATCH body with its
 * version optional, since it may arrive in If-Match instead.
 */

/** The fields of one of the package's strict object codecs. */
function fieldsOf(codec: object, name: string): { readonly required: t.Props; readonly optional: t.Props } {
  const described = codecDescriptions.get(codec);
  if (described?.kind !== 'strictObject') throw new Error(`${name} is not a strict object codec`);
  return described;
}

/** The package's plain-string UUID codec (not exported on its own; every id field uses it). */
const Uuid = fieldsOf(AddSpeakerBody, 'AddSpeakerBody').required['speakerId'] as t.Type<string, string, unknown>;
describeSchema(Uuid, { type: 'string', format: 'uuid' });
describeSchema(SpeakerIds, {
  type: 'array',
  items: { type: 'string', format: 'uuid' },
  maxItems: SPEAKERS_MAX,
  uniqueItems: true,
  description: 'Speaker ids, each at most once',
});

const limit = fieldsOf(ListSessionsQuery, 'ListSessionsQuery').optional['limit'];
if (!limit) throw new Error('ListSessionsQuery has no limit');
describeSchema(limit, { type: 'integer', minimum: 1, maximum: 999_999, description: 'Page size (at most 100 are returned)' });

export const SessionIdParams = strictObject({ id: Uuid }, {}, 'SessionIdParams');
export const SessionSpeakerParams = strictObject({ id: Uuid, speakerId: Uuid }, {}, 'SessionSpeakerParams');

/** PATCH /api/sessions/:id: UpdateSessionBody's fields with `version` optional (it may come in If-Match). */
export type PatchSessionBody = Omit<UpdateSessionBody, 'version'> & { readonly version?: number };

const updateFields = fieldsOf(UpdateSessionBody, 'UpdateSessionBody');
// Built from the package codec's own fields, so the two cannot drift apart.
export const PatchSessionBody = strictObject({}, { ...updateFields.optional, ...updateFields.required }, 'PatchSessionBody') as unknown as t.Type<PatchSessionBody, unknown, unknown>;
