import type { MessageFactory, OutgoingMessage } from '@conference/kernel';
import type { EnrollmentOutcomeData, EventCancelledData, MessageData, MessageType } from '@conference/messages';
import type { Enrollment } from '../domain/enrollment.js';
import type { Event } from '../domain/event.js';

export type EnrollmentOutcomeType = Extract<
  MessageType,
  'enrollment.confirmed' | 'enrollment.waitlisted' | 'enrollment.promoted' | 'enrollment.rejected' | 'enrollment.cancelled'
>;

/**
 * Every message of an event travels under the event's id as its aggregate, so the relay keeps the
 * outcomes of one event (and so of each of its attendees) in order.
 */
export function enrollmentOutcome(
  messages: MessageFactory,
  type: EnrollmentOutcomeType,
  eventTitle: string,
  enrollment: Enrollment,
  position: number | null,
): OutgoingMessage<EnrollmentOutcomeData> {
  return messages.create<EnrollmentOutcomeData>(type, enrollment.eventId, {
    eventId: enrollment.eventId,
    eventTitle,
    userId: enrollment.userId,
    email: enrollment.email,
    name: enrollment.name,
    status: enrollment.status,
    position: enrollment.status === 'waitlisted' ? position : null,
    reason: enrollment.reason,
  });
}

export const eventPublished = (messages: MessageFactory, event: Event): OutgoingMessage<MessageData<'event.published'>> =>
  messages.create<MessageData<'event.published'>>('event.published', event.id, {
    eventId: event.id,
    title: event.title,
    organizerId: event.organizerId,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
  });

export const eventCancelled = (messages: MessageFactory, event: Event, attendees: readonly Enrollment[]): OutgoingMessage<EventCancelledData> =>
  messages.create<EventCancelledData>('event.cancelled', event.id, {
    eventId: event.id,
    title: event.title,
    startsAt: event.startsAt.toISOString(),
    attendees: attendees.map(({ userId, email, name }) => ({ userId, email, name })),
  });
