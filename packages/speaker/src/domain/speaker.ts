import { err, ok, type Result, type DomainError } from '@conference/kernel';
import { SpeakerErrors } from './errors.js';
import { checkProfile, type SpeakerLink, type SpeakerProfile } from './speaker-profile.js';

/**
 * A speaker profile. Plain data (structured-cloneable) so adapters can store and copy it; the
 * functions below are the only way the domain creates or changes one, and they keep its rules.
 */
export interface Speaker extends SpeakerProfile {
  readonly id: string;
  /** The user who created the profile (an organizer, an admin, or the speaker themselves). */
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Starts at 1 and grows by one with every change (optimistic concurrency). */
  readonly version: number;
}

export interface NewSpeaker {
  readonly id: string;
  readonly profile: SpeakerProfile;
  readonly createdBy: string;
  readonly now: Date;
}

export function createSpeaker({ id, profile, createdBy, now }: NewSpeaker): Result<Speaker, DomainError> {
  const checked = checkProfile(profile);
  if (checked.issues.length > 0) return err(SpeakerErrors.invalid(checked.issues));
  return ok({ id, ...checked.profile, createdBy, createdAt: now, updatedAt: now, version: 1 });
}

/** A partial change of the profile; absent fields stay as they are. */
export type SpeakerChanges = Partial<SpeakerProfile>;

export interface Revision {
  readonly speaker: Speaker;
  /** False when the changes leave the profile as it was: nothing to store or announce. */
  readonly changed: boolean;
  readonly userIdChanged: boolean;
}

export function reviseSpeaker(current: Speaker, changes: SpeakerChanges, now: Date): Result<Revision, DomainError> {
  const merged: SpeakerProfile = {
    name: changes.name ?? current.name,
    headline: changes.headline ?? current.headline,
    bio: changes.bio ?? current.bio,
    company: changes.company ?? current.company,
    links: changes.links ?? current.links,
    userId: changes.userId === undefined ? current.userId : changes.userId,
  };
  const checked = checkProfile(merged);
  if (checked.issues.length > 0) return err(SpeakerErrors.invalid(checked.issues));
  const next = checked.profile;
  const changed =
    next.name !== current.name ||
    next.headline !== current.headline ||
    next.bio !== current.bio ||
    next.company !== current.company ||
    next.userId !== current.userId ||
    !sameLinks(next.links, current.links);
  if (!changed) return ok({ speaker: current, changed: false, userIdChanged: false });
  return ok({
    speaker: { ...current, ...next, updatedAt: now, version: current.version + 1 },
    changed: true,
    userIdChanged: next.userId !== current.userId,
  });
}

function sameLinks(a: readonly SpeakerLink[], b: readonly SpeakerLink[]): boolean {
  return a.length === b.length && a.every((link, i) => link.label === b[i]!.label && link.url === b[i]!.url);
}

/** The sort key of speaker lists: case-insensitive name, then id to break ties. */
export const speakerSortKey = (speaker: Pick<Speaker, 'name' | 'id'>): readonly [string, string] => [speaker.name.toLowerCase(), speaker.id];
