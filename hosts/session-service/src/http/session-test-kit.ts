import { randomUUID } from 'node:crypto';
import type { ContainerModule } from 'inversify';
import type { Env, HttpApp } from '@conference/http-kit';
import { TEST_AUDIENCE, TEST_ISSUER, createTestTokens, requestTo, type TestTokens } from '@conference/http-kit/testing';
import type { Actor, Role } from '@conference/kernel';
import type { SessionView, SpeakerSummary } from '@conference/session';
import { createApp } from '../app.js';
import { memoryConfig } from '../config.js';
import { createContainer } from '../container.js';
import { InMemorySessionStore, InMemorySpeakerDirectory } from '../tokens.js';

/** The session service in process, memory profile, with tokens the app accepts and helpers the route tests share. */
export interface SessionApiHarness {
  readonly http: HttpApp;
  readonly tokens: TestTokens;
  readonly store: InMemorySessionStore;
  readonly speakers: InMemorySpeakerDirectory;
  request(): ReturnType<typeof requestTo>;
  /** `Bearer <token>` for an actor of `role` (a fixed user per role unless `userId` is given). */
  bearer(role: Role, userId?: string): Promise<string>;
  readonly users: Readonly<Record<'organizer' | 'otherOrganizer' | 'admin' | 'attendee', Actor>>;
  /** A speaker in the in-memory directory. */
  addSpeaker(name?: string): SpeakerSummary;
  /** Creates a session through the API as `owner` (the organizer by default) and returns its view. */
  createSession(body?: Partial<Record<string, unknown>>, owner?: Actor): Promise<SessionView>;
  /** Every session stored, straight from the store (what a failed write must leave unchanged). */
  storedSessions(): unknown[];
}

export const JSON_TYPE = /^application\/json/;
export const PROBLEM_TYPE = /^application\/problem\+json/;

let slot = 0;
/** A time slot of its own for each session, so tests never clash by accident. */
export function nextSlot(): { startsAt: string; endsAt: string } {
  slot += 1;
  const start = Date.UTC(2030, 0, 1) + slot * 3 * 3_600_000;
  return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString() };
}

export function sessionBody(overrides: Partial<Record<string, unknown>> = {}): Record<string, unknown> {
  return { title: 'Hexagons in practice', abstract: 'Ports, adapters and the tests that keep them honest.', room: 'Room A', speakerIds: [], ...nextSlot(), ...overrides };
}

export async function sessionApi(options: { readonly overrides?: ContainerModule; readonly env?: Env } = {}): Promise<SessionApiHarness> {
  const tokens = await createTestTokens();
  const config = memoryConfig({ JWKS_JSON: JSON.stringify(tokens.signer.jwks()), JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE, ...options.env });
  const container = await createContainer(config, options.overrides);
  const http = await createApp(container, config);
  const store = await container.getAsync<InMemorySessionStore>(InMemorySessionStore);
  const speakers = await container.getAsync<InMemorySpeakerDirectory>(InMemorySpeakerDirectory);
  const users = {
    organizer: { userId: randomUUID(), role: 'organizer' as const },
    otherOrganizer: { userId: randomUUID(), role: 'organizer' as const },
    admin: { userId: randomUUID(), role: 'admin' as const },
    attendee: { userId: randomUUID(), role: 'attendee' as const },
  };
  const request = () => requestTo(http.app);
  const bearerFor = (actor: Actor) => tokens.bearer(actor);
  return {
    http,
    tokens,
    store,
    speakers,
    users,
    request,
    bearer: (role, userId) => bearerFor({ role, userId: userId ?? (role === 'organizer' ? users.organizer.userId : role === 'admin' ? users.admin.userId : users.attendee.userId) }),
    addSpeaker(name = 'Ada Lovelace') {
      const speaker = { id: randomUUID(), name, headline: 'Engineer', company: 'Analytical Engines' };
      speakers.add(speaker);
      return speaker;
    },
    async createSession(body = {}, owner = users.organizer) {
      const res = await request().post('/api/sessions').set('Authorization', await bearerFor(owner)).send(sessionBody(body));
      if (res.status !== 201) throw new Error(`creating a session answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body as SessionView;
    },
    storedSessions: () => structuredClone([...store.transactions.state.sessions.values()]),
  };
}
