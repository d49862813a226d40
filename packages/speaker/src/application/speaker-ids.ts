import { isUuid } from '@conference/kernel';

/**
 * A speaker id as stored (lowercase UUID), or null when the text cannot name a speaker. UUIDs are
 * case-insensitive, so `ABC…` and `abc…` name the same speaker in every adapter.
 */
export const normaliseSpeakerId = (id: string): string | null => {
  const trimmed = id.trim();
  return isUuid(trimmed) ? trimmed.toLowerCase() : null;
};
