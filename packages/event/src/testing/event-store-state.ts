import { emptyMessagingState, type MessagingState } from '@conference/kernel/testing';
import type { Enrollment } from '../domain/enrollment.js';
import type { Event } from '../domain/event.js';
import type { ProgrammeEntry, SessionWatermark } from '../domain/programme.js';

/** The tables of the event service's database, in memory. Structured-cloneable, so a throw rolls it all back. */
export interface EventStoreState extends MessagingState {
  events: Map<string, Event>;
  /** Keyed by `${eventId}/${userId}`. */
  enrollments: Map<string, Enrollment>;
  /** Keyed by `${eventId}/${sessionId}`. */
  programme: Map<string, ProgrammeEntry>;
  watermarks: Map<string, SessionWatermark>;
}

export const emptyEventStoreState = (): EventStoreState => ({
  ...emptyMessagingState(),
  events: new Map(),
  enrollments: new Map(),
  programme: new Map(),
  watermarks: new Map(),
});

export const pairKey = (a: string, b: string): string => `${a}/${b}`;
