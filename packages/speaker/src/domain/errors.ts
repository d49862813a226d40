import { DomainError, StaleVersionError, type FieldIssue } from '@conference/kernel';

/**
 * Raised by a SpeakerRepository when a write would link a second speaker profile to a user
 * account that already has one. Use cases also return it as a result when they find the
 * existing link before writing.
 */
export class UserAlreadyLinkedError extends DomainError {
  constructor(readonly userId: string) {
    super('SPEAKER.USER_ALREADY_LINKED', 'conflict', `user ${userId} already has a speaker profile`);
    this.name = 'UserAlreadyLinkedError';
  }
}

/** The stable codes of this context, so hosts and tests never spell them twice. */
export const SpeakerErrorCodes = {
  invalid: 'SPEAKER.INVALID',
  invalidId: 'SPEAKER.INVALID_ID',
  invalidQuery: 'SPEAKER.INVALID_QUERY',
  tooManyIds: 'SPEAKER.TOO_MANY_IDS',
  notFound: 'SPEAKER.NOT_FOUND',
  userAlreadyLinked: 'SPEAKER.USER_ALREADY_LINKED',
  staleVersion: 'SPEAKER.STALE_VERSION',
  createForbidden: 'SPEAKER.CREATE_FORBIDDEN',
  changeForbidden: 'SPEAKER.CHANGE_FORBIDDEN',
  linkForbidden: 'SPEAKER.LINK_FORBIDDEN',
  deleteForbidden: 'SPEAKER.DELETE_FORBIDDEN',
} as const;

export const SpeakerErrors = {
  invalid: (issues: readonly FieldIssue[]) =>
    DomainError.validation(SpeakerErrorCodes.invalid, 'The speaker profile is not valid', issues),
  notFound: (id: string) => DomainError.notFound(SpeakerErrorCodes.notFound, `speaker ${id} does not exist`),
  stale: (id: string) => new StaleVersionError('speaker', id),
  createForbidden: () =>
    DomainError.forbidden(SpeakerErrorCodes.createForbidden, 'only organizers and admins may create a speaker profile for someone else'),
  changeForbidden: () =>
    DomainError.forbidden(SpeakerErrorCodes.changeForbidden, 'only an admin, the organizer who created it or the linked user may change this speaker profile'),
  linkForbidden: () =>
    DomainError.forbidden(SpeakerErrorCodes.linkForbidden, 'only an admin or the organizer who created it may change which user a speaker profile belongs to'),
  deleteForbidden: () =>
    DomainError.forbidden(SpeakerErrorCodes.deleteForbidden, 'only an admin or the organizer who created it may delete this speaker profile'),
};
