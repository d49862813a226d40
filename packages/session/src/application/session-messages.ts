import type { MessageFactory, OutgoingMessage } from '@conference/kernel';
import type { MessageType, SessionChangedData, SessionDeletedData } from '@conference/messages';
import type { Session } from '../domain/session.js';

export const SESSION_CREATED = 'session.created' satisfies MessageType;
export const SESSION_UPDATED = 'session.updated' satisfies MessageType;
export const SESSION_DELETED = 'session.deleted' satisfies MessageType;

export const sessionChangedData = (session: Session): SessionChangedData => ({
  sessionId: session.id,
  eventId: session.eventId,
  title: session.title,
  startsAt: session.startsAt.toISOString(),
  endsAt: session.endsAt.toISOString(),
  room: session.room,
  speakerIds: [...session.speakerIds],
  version: session.version,
});

export const sessionCreated = (messages: MessageFactory, session: Session): OutgoingMessage<SessionChangedData> =>
  messages.create(SESSION_CREATED, session.id, sessionChangedData(session));

export const sessionUpdated = (messages: MessageFactory, session: Session): OutgoingMessage<SessionChangedData> =>
  messages.create(SESSION_UPDATED, session.id, sessionChangedData(session));

/**
 * A deletion is a change too, so it carries the version after the last one (`version + 1`):
 * a consumer that ignores messages not newer than what it holds still applies it.
 */
export const sessionDeleted = (messages: MessageFactory, session: Session): OutgoingMessage<SessionDeletedData> =>
  messages.create(SESSION_DELETED, session.id, { sessionId: session.id, eventId: session.eventId, version: session.version + 1 });
