import type { JwtVerifier as HttpKitJwtVerifier, createLogger } from '@conference/http-kit';
import type {
  Clock as KernelClock,
  IdGenerator as KernelIdGenerator,
  MessageFactory as KernelMessageFactory,
  UnitOfWork,
} from '@conference/kernel';
import type {
  CachingSpeakerDirectory as CachingSpeakerDirectoryType,
  SessionQueries as SessionQueriesPort,
  SessionScope,
  SpeakerDirectory as SpeakerDirectoryPort,
} from '@conference/session';
import type {
  InMemorySessionStore as InMemorySessionStoreType,
  InMemorySpeakerDirectory as InMemorySpeakerDirectoryType,
} from '@conference/session/testing';
import type { DatabasePool as SlonikPool } from 'slonik';

/**
 * Inversify tokens of the session service, each a Symbol named like the port (or resource) it
 * stands for, with a type of the same name beside it (Theia's convention): the domain package
 * declares the ports and knows nothing of Inversify, so the tokens live here, in the host.
 * Symbol.for: one token per name even if this module were loaded twice.
 */

/** The session context's unit of work (sessions, schedule locks, outbox, inbox). */
export const SessionUnitOfWork = Symbol.for('SessionUnitOfWork');
export type SessionUnitOfWork = UnitOfWork<SessionScope>;

/** Reads of committed sessions outside a unit of work (GetSession, ValidateSession, GetSessionsByIds). */
export const SessionQueries = Symbol.for('SessionQueries');
export type SessionQueries = SessionQueriesPort;

/** The speaker service as the session context sees it, uncached: what writes check speakers with. */
export const SpeakerDirectory = Symbol.for('SpeakerDirectory');
export type SpeakerDirectory = SpeakerDirectoryPort;

/**
 * SpeakerDirectory behind a cache, for display (GetSession). It serves from the cache only while
 * main.ts feeds it speaker.updated/deleted (a broadcast subscription); otherwise it passes through.
 */
export const CachedSpeakerDirectory = Symbol.for('CachedSpeakerDirectory');
export type CachedSpeakerDirectory = CachingSpeakerDirectoryType;

export const Clock = Symbol.for('Clock');
export type Clock = KernelClock;

export const IdGenerator = Symbol.for('IdGenerator');
export type IdGenerator = KernelIdGenerator;

/** Stamps session.* messages with source, time and the request's correlation. */
export const MessageFactory = Symbol.for('MessageFactory');
export type MessageFactory = KernelMessageFactory;

/** Verifies access tokens: remote JWKS in production, a key set in hand in memory. */
export const AccessTokenVerifier = Symbol.for('AccessTokenVerifier');
export type AccessTokenVerifier = HttpKitJwtVerifier;

export const Logger = Symbol.for('Logger');
export type Logger = ReturnType<typeof createLogger>;

/** postgres profile: the service's database pool (ended when the container is unbound). */
export const DatabasePool = Symbol.for('DatabasePool');
export type DatabasePool = SlonikPool;

/** What GET /ready checks: bound once per dependency the profile has (database, speaker service). */
export const ReadinessCheck = Symbol.for('ReadinessCheck');
export interface ReadinessCheck {
  readonly name: string;
  run(): Promise<unknown>;
}

/** memory profile: the store behind SessionUnitOfWork, so tests and the embedded profile can look inside. */
export const InMemorySessionStore = Symbol.for('InMemorySessionStore');
export type InMemorySessionStore = InMemorySessionStoreType;

/** memory profile: the directory behind SpeakerDirectory, where tests put speakers. */
export const InMemorySpeakerDirectory = Symbol.for('InMemorySpeakerDirectory');
export type InMemorySpeakerDirectory = InMemorySpeakerDirectoryType;
