import type { JwtVerifier, createLogger } from '@conference/http-kit';
import type { Clock as ClockPort, IdGenerator as IdGeneratorPort, MessageFactory, UnitOfWork } from '@conference/kernel';
import type { SpeakerQueries as SpeakerQueriesPort, SpeakerScope } from '@conference/speaker';

/**
 * The Inversify tokens of the speaker service: one Symbol per port, named like the port it stands
 * for and declared beside its type (the ports live in the pure packages, which must not know about
 * the container). Only container.ts binds them.
 */

/** The speaker context's persistence: speakers and outbox in one unit of work. */
export type SpeakerUnitOfWork = UnitOfWork<SpeakerScope>;
export const SpeakerUnitOfWork = Symbol.for('SpeakerUnitOfWork');

/** Reads of committed speakers outside a unit of work (GetSpeaker, GetSpeakersByIds). */
export type SpeakerQueries = SpeakerQueriesPort;
export const SpeakerQueries = Symbol.for('SpeakerQueries');

export type Clock = ClockPort;
export const Clock = Symbol.for('Clock');

export type IdGenerator = IdGeneratorPort;
export const IdGenerator = Symbol.for('IdGenerator');

/** The MessageFactory stamping `source: speaker-service` and the request's correlation id. */
export type SpeakerMessageFactory = MessageFactory;
export const SpeakerMessageFactory = Symbol.for('SpeakerMessageFactory');

/** Verifies the user service's access tokens on write routes. */
export type AccessTokenVerifier = JwtVerifier;
export const AccessTokenVerifier = Symbol.for('AccessTokenVerifier');

/** What GET /ready checks in this profile (the database in postgres; nothing in memory). */
export interface ReadinessCheck {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}
export type ReadinessChecks = readonly ReadinessCheck[];
export const ReadinessChecks = Symbol.for('ReadinessChecks');

export type ServiceLogger = ReturnType<typeof createLogger>;
export const ServiceLogger = Symbol.for('ServiceLogger');
