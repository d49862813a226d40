import type { Enrollment, EnrollmentStatus } from '../domain/enrollment.js';
import { seatsLeft, type Event, type EventStatus } from '../domain/event.js';
import type { ProgrammeEntry } from '../domain/programme.js';

/** JSON shapes of DESIGN §3: camelCase, ISO 8601 times, ids as UUIDs. */
export interface EventView {
  readonly id: string;
  readonly organizerId: string;
  readonly title: string;
  readonly description: string;
  readonly venue: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly capacity: number;
  readonly status: EventStatus;
  readonly seatsTaken: number;
  readonly seatsLeft: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface ProgrammeEntryView {
  readonly sessionId: string;
  readonly title: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly room: string;
  /** The session's version this copy reflects. */
  readonly version: number;
  readonly linkedManually: boolean;
}

/** GET /api/events/:id: the event with its seats, the length of its waitlist and its schedule. */
export interface EventDetailView extends EventView {
  readonly waitlisted: number;
  readonly schedule: readonly ProgrammeEntryView[];
}

export interface EnrollmentView {
  readonly eventId: string;
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly status: EnrollmentStatus;
  /** Only while waitlisted: 1 = next to get a seat. */
  readonly position?: number;
  /** Only when rejected: a stable code (RejectionReasons). */
  readonly reason?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const toEventView = (event: Event): EventView => ({
  id: event.id,
  organizerId: event.organizerId,
  title: event.title,
  description: event.description,
  venue: event.venue,
  startsAt: event.startsAt.toISOString(),
  endsAt: event.endsAt.toISOString(),
  capacity: event.capacity,
  status: event.status,
  seatsTaken: event.seatsTaken,
  seatsLeft: seatsLeft(event),
  createdAt: event.createdAt.toISOString(),
  updatedAt: event.updatedAt.toISOString(),
  version: event.version,
});

export const toProgrammeEntryView = (entry: ProgrammeEntry): ProgrammeEntryView => ({
  sessionId: entry.sessionId,
  title: entry.title,
  startsAt: entry.startsAt.toISOString(),
  endsAt: entry.endsAt.toISOString(),
  room: entry.room,
  version: entry.sourceVersion,
  linkedManually: entry.linkedManually,
});

export const toEventDetailView = (event: Event, waitlisted: number, schedule: readonly ProgrammeEntry[]): EventDetailView => ({
  ...toEventView(event),
  waitlisted,
  schedule: schedule.map(toProgrammeEntryView),
});

export const toEnrollmentView = (enrollment: Enrollment, position: number | null): EnrollmentView => ({
  eventId: enrollment.eventId,
  userId: enrollment.userId,
  name: enrollment.name,
  email: enrollment.email,
  status: enrollment.status,
  ...(enrollment.status === 'waitlisted' && position !== null ? { position } : {}),
  ...(enrollment.status === 'rejected' && enrollment.reason !== null ? { reason: enrollment.reason } : {}),
  createdAt: enrollment.createdAt.toISOString(),
  updatedAt: enrollment.updatedAt.toISOString(),
});
