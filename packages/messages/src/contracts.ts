import * as t from 'io-ts';

/**
 * The payloads services publish, one codec per message type (= routing key).
 * Readers are tolerant: unknown fields in `data` are dropped, not refused, so a publisher can add
 * a field without breaking consumers. Removing or changing a field needs a new `version`.
 * Times are ISO 8601 strings.
 */
/** A payload object whose unknown fields are dropped on decode. */
const payload = <P extends t.Props>(props: P) => t.exact(t.type(props));
const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

const Contact = payload({ userId: t.string, email: t.string, name: t.string });

export const UserRegistered = payload({ userId: t.string, email: t.string, name: t.string });
export const UserEnrolled = payload({ userId: t.string, eventId: t.string, email: t.string, name: t.string, requestedAt: t.string });
export const UserUnenrolled = payload({ userId: t.string, eventId: t.string, requestedAt: t.string });

export const EnrollmentStatus = t.keyof({ enrolled: null, waitlisted: null, rejected: null, cancelled: null });
export const EnrollmentOutcome = payload({
  eventId: t.string,
  eventTitle: t.string,
  userId: t.string,
  email: t.string,
  name: t.string,
  status: EnrollmentStatus,
  position: nullable(t.number),
  reason: nullable(t.string),
});

export const EventPublished = payload({ eventId: t.string, title: t.string, organizerId: t.string, startsAt: t.string, endsAt: t.string });
export const EventCancelled = payload({
  eventId: t.string,
  title: t.string,
  startsAt: t.string,
  attendees: t.array(Contact),
});

export const SessionChanged = payload({
  sessionId: t.string,
  eventId: nullable(t.string),
  title: t.string,
  startsAt: t.string,
  endsAt: t.string,
  room: t.string,
  speakerIds: t.array(t.string),
  version: t.number,
});
export const SessionDeleted = payload({ sessionId: t.string, eventId: nullable(t.string), version: t.number });

export const SpeakerChanged = payload({
  speakerId: t.string,
  name: t.string,
  headline: t.string,
  company: t.string,
  userId: nullable(t.string),
  version: t.number,
});
export const SpeakerDeleted = payload({ speakerId: t.string });

/** Routing key → payload codec. The routing key is the envelope's `type`. */
export const MessageContracts = {
  'user.registered': UserRegistered,
  'user.enrolled': UserEnrolled,
  'user.unenrolled': UserUnenrolled,
  'enrollment.confirmed': EnrollmentOutcome,
  'enrollment.waitlisted': EnrollmentOutcome,
  'enrollment.promoted': EnrollmentOutcome,
  'enrollment.rejected': EnrollmentOutcome,
  'enrollment.cancelled': EnrollmentOutcome,
  'event.published': EventPublished,
  'event.cancelled': EventCancelled,
  'session.created': SessionChanged,
  'session.updated': SessionChanged,
  'session.deleted': SessionDeleted,
  'speaker.created': SpeakerChanged,
  'speaker.updated': SpeakerChanged,
  'speaker.deleted': SpeakerDeleted,
} as const;

export type MessageType = keyof typeof MessageContracts;
export type MessageData<K extends MessageType> = t.TypeOf<(typeof MessageContracts)[K]>;

export const MESSAGE_TYPES = Object.keys(MessageContracts) as MessageType[];
export const isMessageType = (type: string): type is MessageType => Object.hasOwn(MessageContracts, type);

export type UserEnrolledData = MessageData<'user.enrolled'>;
export type UserUnenrolledData = MessageData<'user.unenrolled'>;
export type EnrollmentOutcomeData = t.TypeOf<typeof EnrollmentOutcome>;
export type EventCancelledData = MessageData<'event.cancelled'>;
export type SessionChangedData = MessageData<'session.created'>;
export type SessionDeletedData = MessageData<'session.deleted'>;
export type SpeakerChangedData = MessageData<'speaker.created'>;
export type SpeakerDeletedData = MessageData<'speaker.deleted'>;
