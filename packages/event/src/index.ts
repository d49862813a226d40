// Domain
export { EventErrors, EnrollmentErrors, RejectionReasons, type RejectionReason } from './domain/errors.js';
export {
  type Event,
  type EventDetails,
  type EventStatus,
  EVENT_STATUSES,
  EVENT_LIMITS,
  createEvent,
  reviseEvent,
  publishEvent,
  cancelEvent,
  detailsOf,
  seatsLeft,
  hasFreeSeat,
  takeSeat,
  freeSeat,
  enrollmentRefusal,
  acceptsEnrollments,
} from './domain/event.js';
export {
  type Enrollment,
  type EnrollmentStatus,
  type EnrollmentRequest,
  type EnrollmentDecision,
  ENROLLMENT_STATUSES,
  ACTIVE_STATUSES,
  isActive,
  isOutOfOrder,
  decide,
  acknowledge,
  promote,
  withdraw,
  withdrawalMarker,
} from './domain/enrollment.js';
export {
  type ProgrammeEntry,
  type SessionSummary,
  type SessionWatermark,
  isStaleNews,
  advanceWatermark,
  entryFor,
  refreshEntry,
  hasMovedAway,
} from './domain/programme.js';

// Ports
export type { SortKey, Keyset, Slice } from './ports/keyset.js';
export type { EventRepository, EventQuery, EventUpdate, DraftVisibility } from './ports/event-repository.js';
export type { EventCatalog, CatalogEntry } from './ports/event-catalog.js';
export type {
  EnrollmentRepository,
  EnrollmentCounts,
  EnrollmentAndQueueHead,
  EnrollmentsWithQueues,
  PlacedEnrollment,
  QueueRead,
  WaitlistTail,
} from './ports/enrollment-repository.js';
export type { ProgrammeRepository } from './ports/programme-repository.js';
export type { SessionDirectory } from './ports/session-directory.js';
export type { EventScope } from './ports/event-scope.js';

// Application: use cases
export { CreateEvent, type CreateEventInput } from './application/create-event.js';
export { UpdateEvent, type UpdateEventInput } from './application/update-event.js';
export { PublishEvent, type PublishEventInput } from './application/publish-event.js';
export { CancelEvent, type CancelEventInput } from './application/cancel-event.js';
export { DeleteEvent, type DeleteEventInput } from './application/delete-event.js';
export { GetEvent, type GetEventInput } from './application/get-event.js';
export { ListEvents, type ListEventsInput } from './application/list-events.js';
export {
  RecordEnrollmentRequest,
  type RecordEnrollmentRequestInput,
  type RecordEnrollmentRequestOutput,
  type EnrollmentRequestOutcome,
} from './application/record-enrollment-request.js';
export {
  RecordEnrollmentRequests,
  type RecordEnrollmentRequestsItem,
  type RecordEnrollmentRequestsOutcome,
} from './application/record-enrollment-requests.js';
export { RecordUnenrollment, type RecordUnenrollmentInput, type RecordUnenrollmentOutput } from './application/record-unenrollment.js';
export { ListEnrollments, type ListEnrollmentsInput } from './application/list-enrollments.js';
export { GetMyEnrollment, type GetMyEnrollmentInput } from './application/get-my-enrollment.js';
export { ListMyEnrollments, type ListMyEnrollmentsInput } from './application/list-my-enrollments.js';
export { LinkSession, type LinkSessionInput, type LinkSessionOutput } from './application/link-session.js';
export { UnlinkSession, type UnlinkSessionInput } from './application/unlink-session.js';
export { ProjectSessionChanged, type ProjectSessionChangedInput, type ProjectSessionChangedOutput } from './application/project-session-changed.js';
export { ProjectSessionDeleted, type ProjectSessionDeletedInput, type ProjectSessionDeletedOutput } from './application/project-session-deleted.js';
export { GetSchedule, GetScheduleCalendar, type GetScheduleInput, type ScheduleView } from './application/get-schedule.js';

// Application: shared pieces hosts use
export { SeatAllocation, scopeLedger, type EventLedger, type Placement } from './application/seat-allocation.js';
export { ENROLLMENT_CONSUMER, PROGRAMME_CONSUMER, EVENT_SERVICE_SUBSCRIPTIONS, type Handled } from './application/consumers.js';
export { renderEventCalendar, escapeText, foldLine, formatUtc, type CalendarOptions } from './application/icalendar.js';
export { readKeyset, toPage, type PageQuery } from './application/paging.js';
export {
  CreateEventBody,
  UpdateEventBody,
  EventActionBody,
  LinkSessionBody,
  ListEventsQuery,
  ListEnrollmentsQuery,
  PageQueryCodec,
} from './application/requests.js';
export {
  type EventView,
  type EventDetailView,
  type EnrollmentView,
  type ProgrammeEntryView,
  toEventView,
  toEventDetailView,
  toEnrollmentView,
  toProgrammeEntryView,
} from './application/views.js';
