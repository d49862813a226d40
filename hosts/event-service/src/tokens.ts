import type { EventCatalog as EventCatalogPort, EventScope, SessionDirectory as SessionDirectoryPort } from '@conference/event';
import type { JwtVerifier, createLogger } from '@conference/http-kit';
import type { Clock as ClockPort, IdGenerator as IdGeneratorPort, MessageFactory as MessageFactoryClass, UnitOfWork } from '@conference/kernel';
import type { DatabasePool as SlonikPool } from 'slonik';

/**
 * Inversify tokens of the event service, each a Symbol named like the port it stands for, beside a
 * type of the same name (Theia's habit), so `container.get<EventUnitOfWork>(EventUnitOfWork)`
 * reads as what it is. The ports themselves live in @conference/event, which knows no container.
 */

/** The event context's unit of work (events, enrollments, programme, outbox, inbox). */
export type EventUnitOfWork = UnitOfWork<EventScope>;
export const EventUnitOfWork = Symbol.for('EventUnitOfWork');

/** The read side the public pages use (GetEvent, ListEvents): no unit of work around a read. */
export type EventCatalog = EventCatalogPort;
export const EventCatalog = Symbol.for('EventCatalog');

/** gRPC ValidateSession in production, a map in memory. */
export type SessionDirectory = SessionDirectoryPort;
export const SessionDirectory = Symbol.for('SessionDirectory');

export type Clock = ClockPort;
export const Clock = Symbol.for('Clock');

export type IdGenerator = IdGeneratorPort;
export const IdGenerator = Symbol.for('IdGenerator');

/** Builds the envelopes use cases write to the outbox, stamped with the request id as correlationId. */
export type MessageFactory = MessageFactoryClass;
export const MessageFactory = Symbol.for('MessageFactory');

/** Verifies the user service's access tokens. */
export type AccessTokenVerifier = JwtVerifier;
export const AccessTokenVerifier = Symbol.for('AccessTokenVerifier');

export type ServiceLogger = ReturnType<typeof createLogger>;
export const ServiceLogger = Symbol.for('ServiceLogger');

/** The event database's pool (postgres profile only). */
export type DatabasePool = SlonikPool;
export const DatabasePool = Symbol.for('DatabasePool');

/** What GET /ready checks besides "not draining": the database and the gRPC peers of the profile. */
export interface ReadinessProbe {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}
export type ReadinessProbes = readonly ReadinessProbe[];
export const ReadinessProbes = Symbol.for('ReadinessProbes');

/** Clients the container opened (gRPC channels), closed on shutdown after the HTTP server stopped. */
export interface ContainerResources {
  close(): Promise<void>;
}
export const ContainerResources = Symbol.for('ContainerResources');
