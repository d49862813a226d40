import { TEST_AUDIENCE, TEST_ISSUER, createTestTokens, requestTo, type TestTokens } from '@conference/http-kit/testing';
import type { Actor, Role } from '@conference/kernel';
import { InMemorySpeakerStore, type InMemorySpeakerStoreOptions } from '@conference/speaker/testing';
import { createApp } from '../app.js';
import { loadSpeakerConfig, type SpeakerConfig } from '../config.js';
import { createContainer } from '../container.js';

/** Test support for the HTTP tests (not a test itself): the app in the memory profile with tokens it trusts. */

const user = (n: number) => `0a5e0000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;
const actor = (n: number, role: Role): Actor => ({ userId: user(n), role });

export const actors = {
  admin: actor(1, 'admin'),
  organizer: actor(2, 'organizer'),
  otherOrganizer: actor(3, 'organizer'),
  attendee: actor(4, 'attendee'),
  otherAttendee: actor(5, 'attendee'),
} as const;

export const PROBLEM_JSON = /^application\/problem\+json/;

/** A full valid body for POST /api/speakers. */
export const SAMPLE_SPEAKER = {
  name: 'Ada Lovelace',
  headline: 'Analyst of engines',
  bio: 'Wrote the first published algorithm.',
  company: 'Analytical Engines Ltd',
  links: [{ label: 'Site', url: 'https://ada.example.org/' }],
  userId: user(42),
};

/** The configuration of a memory-profile instance that trusts `tokens`. */
export const memoryConfig = (tokens: TestTokens, env: Record<string, string> = {}): SpeakerConfig =>
  loadSpeakerConfig({
    PROFILE: 'memory',
    JWKS_JSON: JSON.stringify(tokens.signer.jwks()),
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    LOG_LEVEL: 'silent',
    ...env,
  });

export async function speakerTestApp(options: { readonly store?: InMemorySpeakerStoreOptions } = {}) {
  const tokens = await createTestTokens();
  const store = new InMemorySpeakerStore(options.store);
  const config = memoryConfig(tokens);
  const container = createContainer(config, { store });
  const http = createApp(container, config, { defaultMetrics: false });
  const request = () => requestTo(http.app);
  const bearer = (who: Actor) => tokens.bearer(who);

  /** Creates a speaker through the API as `who` and returns the view. */
  const create = async (who: Actor, body: Record<string, unknown> = { name: 'A speaker' }) => {
    const res = await request().post('/api/speakers').set('Authorization', await bearer(who)).send(body);
    if (res.status !== 201) throw new Error(`creating a speaker answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; userId: string | null; name: string };
  };

  return { ...http, tokens, store, config, container, request, bearer, create };
}

export type SpeakerTestApp = Awaited<ReturnType<typeof speakerTestApp>>;
