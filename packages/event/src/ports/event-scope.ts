import type { Inbox, Outbox } from '@conference/kernel';
import type { EnrollmentRepository } from './enrollment-repository.js';
import type { EventRepository } from './event-repository.js';
import type { ProgrammeRepository } from './programme-repository.js';

/** What one unit of work of the event service writes through: all of it commits together or none of it. */
export interface EventScope {
  readonly events: EventRepository;
  readonly enrollments: EnrollmentRepository;
  readonly programme: ProgrammeRepository;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
}
