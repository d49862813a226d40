import type { UnitOfWork } from '@conference/kernel';
import type { Enrollment } from '../domain/enrollment.js';
import type { Event } from '../domain/event.js';
import type { ProgrammeEntry } from '../domain/programme.js';
import type { EventCatalog } from '../ports/event-catalog.js';
import type { EventScope } from '../ports/event-scope.js';

/**
 * What an adapter of the event store gives the contract suites: a unit of work over a fresh, empty
 * store (one per test), and a way to let go of it.
 */
export interface EventStoreFixture {
  readonly uow: UnitOfWork<EventScope>;
  close?(): Promise<void>;
}

/** A store as above with its EventCatalog: the suite writes through `uow` and reads through `catalog`. */
export interface EventCatalogFixture extends EventStoreFixture {
  readonly catalog: EventCatalog;
}

/** A real, predictable UUID (v4 layout): uuid(1) = 00000000-0000-4000-8000-000000000001. Text order = numeric order. */
export const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A millisecond-precision instant, `minutes` after a fixed origin. */
export const at = (minutes: number): Date => new Date(Date.UTC(2027, 2, 1, 9, 0, 0, 123) + minutes * 60_000);

export const anEvent = (overrides: Partial<Event> = {}): Event => ({
  id: uuid(1),
  organizerId: uuid(900),
  title: 'TypeScript Summit',
  description: 'Two days of talks.\nBring a laptop; coffee provided, of course.',
  venue: 'Hall A, Congress Centre',
  startsAt: at(0),
  endsAt: at(480),
  capacity: 50,
  status: 'published',
  seatsTaken: 3,
  createdAt: at(-10_000),
  updatedAt: at(-5_000),
  version: 4,
  ...overrides,
});

export const anEnrollment = (overrides: Partial<Enrollment> = {}): Enrollment => ({
  eventId: uuid(1),
  userId: uuid(100),
  email: 'ada@example.org',
  name: 'Ada Lovelace',
  status: 'enrolled',
  waitlistOrder: null,
  reason: null,
  requestedAt: at(-60),
  createdAt: at(-59),
  updatedAt: at(-58),
  ...overrides,
});

export const anEntry = (overrides: Partial<ProgrammeEntry> = {}): ProgrammeEntry => ({
  eventId: uuid(1),
  sessionId: uuid(500),
  title: 'Keynote: types, all the way down',
  startsAt: at(0),
  endsAt: at(45),
  room: 'Room 1',
  sourceVersion: 2,
  linkedManually: false,
  ...overrides,
});

/** The error a promise rejects with, or undefined when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Runs work that throws at its end, so the suite can check that nothing it wrote stayed. */
export async function runAndThrow(uow: UnitOfWork<EventScope>, work: (scope: EventScope) => Promise<void>): Promise<void> {
  const error = await rejectionOf(
    uow.run(async (scope) => {
      await work(scope);
      throw new Error('rolled back on purpose');
    }),
  );
  if (!(error instanceof Error) || error.message !== 'rolled back on purpose') throw new Error(`expected the planned failure, got ${String(error)}`);
}

/** Inserts events, in order, in one unit of work. */
export const insertEvents = (uow: UnitOfWork<EventScope>, ...events: Event[]): Promise<void> =>
  uow.run(async ({ events: repo }) => {
    for (const event of events) await repo.insert(event);
  });
