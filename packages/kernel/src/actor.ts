/** Who is asking. Authorization decisions in use cases are made on this, never on transport details. */
export type Role = 'attendee' | 'organizer' | 'admin';
export const ROLES: readonly Role[] = ['attendee', 'organizer', 'admin'];

export interface Actor {
  readonly userId: string;
  readonly role: Role;
}

export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';
export const canOrganize = (actor: Actor): boolean => actor.role === 'organizer' || actor.role === 'admin';
/** The owner or an admin may change a resource. */
export const ownsOrAdministers = (actor: Actor, ownerId: string | null | undefined): boolean =>
  isAdmin(actor) || (ownerId != null && actor.userId === ownerId);
