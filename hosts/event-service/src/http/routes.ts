import type { Container } from 'inversify';
import {
  CancelEvent,
  CreateEvent,
  DeleteEvent,
  GetEvent,
  GetMyEnrollment,
  GetSchedule,
  GetScheduleCalendar,
  LinkSession,
  ListEnrollments,
  ListEvents,
  PublishEvent,
  UnlinkSession,
  UpdateEvent,
} from '@conference/event';
import type { RestApi } from '@conference/http-kit';
import { registerEnrollmentsRoutes, type EnrollmentsRouteUseCases } from './enrollments-routes.js';
import { registerEventsRoutes, type EventsRouteUseCases } from './events-routes.js';
import { registerProgrammeRoutes, type ProgrammeRouteUseCases } from './programme-routes.js';

/** Every use case the REST API calls. */
export type EventRouteUseCases = EventsRouteUseCases & EnrollmentsRouteUseCases & ProgrammeRouteUseCases;

/** Resolves the use cases once, at start-up: handlers hold them, nothing looks into the container per request. */
export function eventRouteUseCases(container: Container): EventRouteUseCases {
  return {
    listEvents: container.get(ListEvents),
    createEvent: container.get(CreateEvent),
    getEvent: container.get(GetEvent),
    updateEvent: container.get(UpdateEvent),
    deleteEvent: container.get(DeleteEvent),
    publishEvent: container.get(PublishEvent),
    cancelEvent: container.get(CancelEvent),
    listEnrollments: container.get(ListEnrollments),
    getMyEnrollment: container.get(GetMyEnrollment),
    linkSession: container.get(LinkSession),
    unlinkSession: container.get(UnlinkSession),
    getSchedule: container.get(GetSchedule),
    getScheduleCalendar: container.get(GetScheduleCalendar),
  };
}

/** Registers every route of /api/events (DESIGN §3) on `api`: the router and the OpenAPI document at once. */
export function registerEventRoutes(api: RestApi, useCases: EventRouteUseCases): void {
  registerEventsRoutes(api, useCases);
  registerEnrollmentsRoutes(api, useCases);
  registerProgrammeRoutes(api, useCases);
}
