import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type Koa from 'koa';
import type { Container } from 'inversify';
import { RecordEnrollmentRequest, type EventView, type SessionSummary } from '@conference/event';
import { InMemoryEventStore, InMemorySessionDirectory } from '@conference/event/testing';
import type { HttpApp } from '@conference/http-kit';
import { createTestTokens, requestTo, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from '@conference/http-kit/testing';
import type { Actor } from '@conference/kernel';
import { createApp } from '../app.js';
import { memoryConfig } from '../config.js';
import { createContainer } from '../container.js';
import { EventViewCodec } from './schemas.js';

/**
 * The event service in its memory profile, built exactly as main.ts builds it (config → container
 * → app), with tokens signed by a test key whose JWKS is given through JWKS_JSON, as an operator
 * would give it. For the route tests.
 */
export interface RouteTestKit {
  readonly http: HttpApp;
  readonly app: Koa;
  readonly container: Container;
  readonly tokens: TestTokens;
  readonly store: InMemoryEventStore;
  readonly directory: InMemorySessionDirectory;
  readonly organizer: Actor;
  readonly otherOrganizer: Actor;
  readonly admin: Actor;
  attendee(): Actor;
  request(): ReturnType<typeof requestTo>;
  bearer(actor: Actor): Promise<string>;
  /** A draft created through POST /api/events by `actor` (the organizer by default). */
  draft(overrides?: Record<string, unknown>, actor?: Actor): Promise<EventView>;
  /** A published event, through POST /api/events and POST :id/publish. */
  published(overrides?: Record<string, unknown>, actor?: Actor): Promise<EventView>;
  /** user.enrolled handled by the event service's own use case, as its consumer would. */
  enroll(eventId: string, user: Actor): Promise<void>;
  /** A session the in-memory session service knows. */
  session(overrides?: Partial<SessionSummary>): SessionSummary;
  /** Everything the store holds, as text: equal before and after means nothing was written. */
  fingerprint(): string;
}

/** Days from now, on the hour, as ISO text: events that have not started yet. */
export const inDays = (days: number, hours = 0): string => {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(9 + hours, 0, 0, 0);
  return date.toISOString();
};

export const SAMPLE_EVENT = {
  title: 'TypeScript Summit',
  description: 'Talks and workshops',
  venue: 'Congress Centre',
  startsAt: inDays(30),
  endsAt: inDays(30, 8),
  capacity: 2,
};

export const PROBLEM = /^application\/problem\+json/;

export async function routeTestKit(): Promise<RouteTestKit> {
  const tokens = await createTestTokens();
  const config = memoryConfig({ JWKS_JSON: JSON.stringify(tokens.signer.jwks()), JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE });
  const container = createContainer(config);
  const http = createApp(container, config, { defaultMetrics: false });
  const store = container.get(InMemoryEventStore);
  const directory = container.get(InMemorySessionDirectory);
  const organizer: Actor = { userId: randomUUID(), role: 'organizer' };
  const request = () => requestTo(http.app);
  const bearer = (actor: Actor) => tokens.bearer(actor);
  const record = container.get(RecordEnrollmentRequest);

  const draft = async (overrides: Record<string, unknown> = {}, actor: Actor = organizer): Promise<EventView> => {
    const res = await request().post('/api/events').set('Authorization', await bearer(actor)).send({ ...SAMPLE_EVENT, ...overrides });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as EventView;
  };

  return {
    http,
    app: http.app,
    container,
    tokens,
    store,
    directory,
    organizer,
    otherOrganizer: { userId: randomUUID(), role: 'organizer' },
    admin: { userId: randomUUID(), role: 'admin' },
    attendee: () => ({ userId: randomUUID(), role: 'attendee' }),
    request,
    bearer,
    draft,
    async published(overrides = {}, actor = organizer) {
      const event = await draft(overrides, actor);
      const res = await request().post(`/api/events/${event.id}/publish`).set('Authorization', await bearer(actor));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body as EventView;
    },
    async enroll(eventId, user) {
      const result = await record.execute({
        messageId: randomUUID(),
        data: { userId: user.userId, eventId, email: `${user.userId.slice(0, 8)}@example.org`, name: `User ${user.userId.slice(0, 8)}`, requestedAt: new Date().toISOString() },
      });
      expect(result.ok, JSON.stringify(result)).to.equal(true);
    },
    session(overrides = {}) {
      const summary: SessionSummary = {
        sessionId: randomUUID(),
        eventId: null,
        title: 'Hexagons in practice',
        startsAt: new Date(inDays(30, 1)),
        endsAt: new Date(inDays(30, 2)),
        room: 'Room 1',
        version: 1,
        ...overrides,
      };
      directory.put(summary);
      return summary;
    },
    fingerprint() {
      const { state } = store;
      return JSON.stringify({
        events: [...state.events.entries()],
        enrollments: [...state.enrollments.entries()],
        programme: [...state.programme.entries()],
        watermarks: [...state.watermarks.entries()],
        outbox: state.outbox.map((m) => m.envelope.id),
      });
    },
  };
}

/** The body decodes with the codec the OpenAPI document describes the response with. */
export function expectShape(codec: t.Mixed, body: unknown): void {
  const decoded = codec.decode(body);
  expect(isLeft(decoded), `response does not match ${codec.name}: ${JSON.stringify(body)}`).to.equal(false);
}

export const expectEvent = (body: unknown): void => expectShape(EventViewCodec, body);
