import { canOrganize, isAdmin, type Actor } from '@conference/kernel';
import type { Speaker } from './speaker.js';

/**
 * Who may do what with speaker profiles (DESIGN §2). Reads are public and need no rule.
 * "The organizer who created it" means the creator while they hold the organizer role: an
 * attendee who created their own profile edits it as its linked user, not as its creator.
 */
// UUIDs may arrive in either case (a token, a path); compare them as the database does.
const sameUser = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

const isCreatingOrganizer = (actor: Actor, speaker: Speaker): boolean =>
  actor.role === 'organizer' && sameUser(speaker.createdBy, actor.userId);

/** Organizers and admins create any profile; anyone signed in may create their own. */
export const mayCreateSpeaker = (actor: Actor, userId: string | null): boolean =>
  canOrganize(actor) || sameUser(userId, actor.userId);

export const mayChangeSpeaker = (actor: Actor, speaker: Speaker): boolean =>
  isAdmin(actor) || isCreatingOrganizer(actor, speaker) || sameUser(speaker.userId, actor.userId);

/** Linking decides who may edit the profile, so the linked user may not hand it to someone else. */
export const mayRelinkSpeaker = (actor: Actor, speaker: Speaker): boolean =>
  isAdmin(actor) || isCreatingOrganizer(actor, speaker);

export const mayDeleteSpeaker = (actor: Actor, speaker: Speaker): boolean =>
  isAdmin(actor) || isCreatingOrganizer(actor, speaker);
