import { MessageFactory, unwrap, type Actor, type OutgoingMessage } from '@conference/kernel';
import { FixedClock, SequentialIdGenerator } from '@conference/kernel/testing';
import type { MessageData, MessageType } from '@conference/messages';
import { CancelEvent } from '../application/cancel-event.js';
import { CreateEvent, type CreateEventInput } from '../application/create-event.js';
import { DeleteEvent } from '../application/delete-event.js';
import { GetEvent } from '../application/get-event.js';
import { GetMyEnrollment } from '../application/get-my-enrollment.js';
import { GetSchedule, GetScheduleCalendar } from '../application/get-schedule.js';
import { LinkSession } from '../application/link-session.js';
import { ListEnrollments } from '../application/list-enrollments.js';
import { ListEvents } from '../application/list-events.js';
import { ListMyEnrollments } from '../application/list-my-enrollments.js';
import { ProjectSessionChanged } from '../application/project-session-changed.js';
import { ProjectSessionDeleted } from '../application/project-session-deleted.js';
import { PublishEvent } from '../application/publish-event.js';
import { RecordEnrollmentRequest } from '../application/record-enrollment-request.js';
import { RecordUnenrollment } from '../application/record-unenrollment.js';
import { UnlinkSession } from '../application/unlink-session.js';
import { UpdateEvent } from '../application/update-event.js';
import type { EventView } from '../application/views.js';
import type { Event } from '../domain/event.js';
import { uuid } from './contract-support.js';
import { InMemoryEventStore } from './in-memory-event-store.js';
import { InMemorySessionDirectory } from './in-memory-session-directory.js';

export const NOW = '2027-01-10T09:00:00.000Z';

/** Every use case wired to in-memory adapters, a fixed clock and predictable ids, with shortcuts for tests. */
export class UseCaseKit {
  readonly store = new InMemoryEventStore();
  readonly clock = new FixedClock(NOW);
  readonly ids = new SequentialIdGenerator('00000000-0000-4000-a000-');
  readonly messages = new MessageFactory('event', new SequentialIdGenerator('00000000-0000-4000-b000-'), this.clock);
  readonly directory = new InMemorySessionDirectory();
  private deliveries = 0;

  readonly organizer: Actor = { userId: uuid(900), role: 'organizer' };
  readonly otherOrganizer: Actor = { userId: uuid(901), role: 'organizer' };
  readonly admin: Actor = { userId: uuid(902), role: 'admin' };
  readonly attendee = (n: number): Actor => ({ userId: uuid(100 + n), role: 'attendee' });

  readonly createEvent = new CreateEvent(this.store.uow, this.ids, this.clock);
  readonly updateEvent = new UpdateEvent(this.store.uow, this.messages, this.clock);
  readonly publishEvent = new PublishEvent(this.store.uow, this.messages, this.clock);
  readonly cancelEvent = new CancelEvent(this.store.uow, this.messages, this.clock);
  readonly deleteEvent = new DeleteEvent(this.store.uow);
  readonly getEvent = new GetEvent(this.store.catalog);
  readonly listEvents = new ListEvents(this.store.catalog);
  readonly recordEnrollment = new RecordEnrollmentRequest(this.store.uow, this.messages, this.clock);
  readonly recordUnenrollment = new RecordUnenrollment(this.store.uow, this.messages, this.clock);
  readonly listEnrollments = new ListEnrollments(this.store.uow);
  readonly getMyEnrollment = new GetMyEnrollment(this.store.uow);
  readonly listMyEnrollments = new ListMyEnrollments(this.store.uow);
  readonly linkSession = new LinkSession(this.store.uow, this.directory);
  readonly unlinkSession = new UnlinkSession(this.store.uow);
  readonly projectSessionChanged = new ProjectSessionChanged(this.store.uow);
  readonly projectSessionDeleted = new ProjectSessionDeleted(this.store.uow);
  readonly getSchedule = new GetSchedule(this.store.catalog);
  readonly getScheduleCalendar = new GetScheduleCalendar(this.store.catalog, this.clock, 'example.org');

  /** A draft by `organizer` starting a week from NOW, unless told otherwise. */
  async draft(overrides: Partial<CreateEventInput> = {}): Promise<EventView> {
    return unwrap(
      await this.createEvent.execute({
        actor: this.organizer,
        title: 'TypeScript Summit',
        description: 'Talks and workshops',
        venue: 'Congress Centre',
        startsAt: new Date('2027-01-17T09:00:00Z'),
        endsAt: new Date('2027-01-17T18:00:00Z'),
        capacity: 50,
        ...overrides,
      }),
    );
  }

  async published(overrides: Partial<CreateEventInput> = {}): Promise<EventView> {
    const draft = await this.draft(overrides);
    return unwrap(await this.publishEvent.execute({ actor: overrides.actor ?? this.organizer, eventId: draft.id }));
  }

  /** Delivers user.enrolled for attendee n; a fresh message id each time unless one is given. */
  enroll(n: number, eventId: string, options: { messageId?: string; requestedAt?: string } = {}) {
    return this.recordEnrollment.execute({
      messageId: options.messageId ?? this.nextDelivery(),
      data: {
        userId: uuid(100 + n),
        eventId,
        email: `user${n}@example.org`,
        name: `User ${n}`,
        requestedAt: options.requestedAt ?? this.clock.now().toISOString(),
      },
    });
  }

  unenroll(n: number, eventId: string, options: { messageId?: string; requestedAt?: string } = {}) {
    return this.recordUnenrollment.execute({
      messageId: options.messageId ?? this.nextDelivery(),
      data: { userId: uuid(100 + n), eventId, requestedAt: options.requestedAt ?? this.clock.now().toISOString() },
    });
  }

  nextDelivery(): string {
    this.deliveries += 1;
    return uuid(0x10000 + this.deliveries);
  }

  /** Messages of one type in the outbox, oldest first. */
  sent<K extends MessageType>(type: K): MessageData<K>[] {
    return this.store
      .outbox()
      .filter((m: OutgoingMessage) => m.envelope.type === type)
      .map((m) => m.envelope.data as MessageData<K>);
  }

  /** The stored event row. */
  stored(eventId: string): Event {
    const event = this.store.state.events.get(eventId);
    if (!event) throw new Error(`no event ${eventId}`);
    return event;
  }

  /** userIds in the given status, ordered by waitlist order (for waitlisted) or user id. */
  usersIn(eventId: string, status: string): string[] {
    return [...this.store.state.enrollments.values()]
      .filter((e) => e.eventId === eventId && e.status === status)
      .sort((a, b) => (a.waitlistOrder ?? 0) - (b.waitlistOrder ?? 0) || a.userId.localeCompare(b.userId))
      .map((e) => e.userId);
  }
}
