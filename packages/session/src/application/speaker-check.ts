import { err, ok, type DomainError, type Result } from '@conference/kernel';
import { unknownSpeakers } from '../domain/errors.js';
import { isSpeakersNotFound, type SpeakerDirectory, type SpeakerSummary } from '../ports/speaker-directory.js';

/**
 * Asks the speaker service whether every id exists. Unknown ids become 422 SESSION.UNKNOWN_SPEAKER
 * naming them; an unavailable directory stays `unavailable` (503): the session service cannot
 * vouch for speakers it cannot see. No ids → no call, so changes that add no speaker work while
 * the speaker service is down.
 */
export async function verifySpeakers(
  directory: SpeakerDirectory,
  ids: readonly string[],
  pathOf: (id: string) => string,
): Promise<Result<SpeakerSummary[], DomainError>> {
  if (ids.length === 0) return ok([]);
  const answer = await directory.getSpeakers(ids);
  if (!answer.ok) {
    return isSpeakersNotFound(answer.error) ? err(unknownSpeakers(answer.error.missingIds, pathOf)) : answer;
  }
  // Defensive: an adapter that silently leaves ids out must not let unknown speakers through.
  const found = new Set(answer.value.map((s) => s.id.toLowerCase()));
  const missing = [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => !found.has(id));
  if (missing.length > 0) return err(unknownSpeakers(missing, pathOf));
  return answer;
}

/** `speakerIds[i]` of the request for an id (the lists are lowercase-normalized). */
export const indexPath = (ids: readonly string[]) => (id: string): string => {
  const index = ids.findIndex((candidate) => candidate.toLowerCase() === id.toLowerCase());
  return index >= 0 ? `speakerIds[${index}]` : 'speakerIds';
};
