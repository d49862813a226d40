import { err, ok, type Actor, type Clock, type DomainError, type Result } from '@conference/kernel';
import { EventErrors } from '../domain/errors.js';
import type { Event } from '../domain/event.js';
import type { ProgrammeEntry } from '../domain/programme.js';
import type { EventCatalog } from '../ports/event-catalog.js';
import { normalizeId, visibleEvent } from './access.js';
import { renderEventCalendar } from './icalendar.js';
import { toEventView, toProgrammeEntryView, type EventView, type ProgrammeEntryView } from './views.js';

export interface GetScheduleInput {
  readonly actor: Actor | null;
  readonly eventId: string;
}

export interface ScheduleView {
  readonly event: EventView;
  /** By start time. */
  readonly sessions: readonly ProgrammeEntryView[];
}

/** From the catalog, as GetEvent: a read needs no unit of work. */
async function loadSchedule(
  catalog: EventCatalog,
  input: GetScheduleInput,
): Promise<Result<{ event: Event; programme: readonly ProgrammeEntry[] }, DomainError>> {
  const id = normalizeId(input.eventId);
  if (id === null) return err(EventErrors.notFound());
  const entry = await catalog.find(id);
  if (entry === null) return err(EventErrors.notFound());
  const found = visibleEvent(input.actor, entry.event);
  if (!found.ok) return found;
  return ok({ event: found.value, programme: entry.programme });
}

/** GET /api/events/:id/schedule. Errors: EVENT.NOT_FOUND (also for a draft the actor may not see). */
export class GetSchedule {
  constructor(private readonly catalog: EventCatalog) {}

  async execute(input: GetScheduleInput): Promise<Result<ScheduleView, DomainError>> {
    const loaded = await loadSchedule(this.catalog, input);
    if (!loaded.ok) return loaded;
    return ok({ event: toEventView(loaded.value.event), sessions: loaded.value.programme.map(toProgrammeEntryView) });
  }
}

/** GET /api/events/:id/schedule.ics: the schedule as text/calendar. Errors: EVENT.NOT_FOUND. */
export class GetScheduleCalendar {
  constructor(
    private readonly catalog: EventCatalog,
    private readonly clock: Clock,
    private readonly uidDomain?: string,
  ) {}

  async execute(input: GetScheduleInput): Promise<Result<{ readonly calendar: string }, DomainError>> {
    const loaded = await loadSchedule(this.catalog, input);
    if (!loaded.ok) return loaded;
    const options = { generatedAt: this.clock.now(), ...(this.uidDomain ? { uidDomain: this.uidDomain } : {}) };
    return ok({ calendar: renderEventCalendar(loaded.value.event, loaded.value.programme, options) });
  }
}
