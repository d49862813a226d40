import { expect } from 'chai';
import { isRight } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { CreateEventBody, EventActionBody, LinkSessionBody, UpdateEventBody } from '@conference/event';
import { malformedBodies, sendRaw, type MalformedBody } from '@conference/http-kit/testing';
import { SAMPLE_EVENT, routeTestKit, type RouteTestKit } from './route-test-kit.js';

/**
 * At least 500 malformed bodies against every write route that takes a body: never a 5xx, always a
 * 4xx (the status the pipeline itself decides where it decides one), and nothing written.
 *
 * The generator varies a valid sample; for routes whose fields are all optional (PATCH, publish,
 * cancel) some variations ("title missing") are valid requests, not malformed ones. Those are
 * recognised with the route's own codec and left out, and more bodies are generated to keep 500.
 */

const PER_ROUTE = 500;

interface FuzzRoute {
  readonly name: string;
  readonly method: 'post' | 'patch';
  readonly path: (kit: RouteTestKit, eventId: string) => string;
  readonly sample: Record<string, unknown>;
  readonly codec: t.Decoder<unknown, unknown>;
}

const ROUTES: readonly FuzzRoute[] = [
  { name: 'POST /api/events', method: 'post', path: () => '/api/events', sample: SAMPLE_EVENT, codec: CreateEventBody },
  { name: 'PATCH /api/events/:id', method: 'patch', path: (_, id) => `/api/events/${id}`, sample: { ...SAMPLE_EVENT, version: 1 }, codec: UpdateEventBody },
  { name: 'POST /api/events/:id/publish', method: 'post', path: (_, id) => `/api/events/${id}/publish`, sample: { version: 1 }, codec: EventActionBody },
  { name: 'POST /api/events/:id/cancel', method: 'post', path: (_, id) => `/api/events/${id}/cancel`, sample: { version: 1 }, codec: EventActionBody },
  { name: 'POST /api/events/:id/sessions', method: 'post', path: (_, id) => `/api/events/${id}/sessions`, sample: { sessionId: '5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11' }, codec: LinkSessionBody },
];

/** True when the body is in fact a valid request for the route. */
function isValidFor(codec: t.Decoder<unknown, unknown>, body: MalformedBody): boolean {
  if (body.contentType !== 'application/json') return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.body));
  } catch {
    return false;
  }
  return isRight(codec.decode(parsed));
}

function malformedFor(route: FuzzRoute, seed: number): MalformedBody[] {
  const bodies: MalformedBody[] = [];
  for (let round = 0; bodies.length < PER_ROUTE; round++) {
    bodies.push(...malformedBodies(seed + round * 7919, PER_ROUTE, { sample: route.sample }).filter((b) => !isValidFor(route.codec, b)));
    if (round > 10) throw new Error(`${route.name}: the generator gives too few malformed bodies`);
  }
  return bodies.slice(0, PER_ROUTE);
}

describe('event service HTTP: fuzzing the write routes with malformed bodies', function () {
  this.timeout(120_000);

  ROUTES.forEach((route, index) => {
    it(`${route.name}: ${PER_ROUTE} malformed bodies, no 5xx, nothing written`, async () => {
      const kit = await routeTestKit();
      // A draft the organizer owns: every valid body would change it (publish would publish it).
      const event = await kit.draft();
      const session = kit.session();
      const sample = route.sample['sessionId'] ? { sessionId: session.sessionId } : route.sample;
      const auth = await kit.bearer(kit.organizer);
      const before = kit.fingerprint();
      const bodies = malformedFor({ ...route, sample }, 1000 + index);
      expect(bodies).to.have.length(PER_ROUTE);
      const statuses = new Map<number, number>();
      for (const body of bodies) {
        const res = await sendRaw(kit.request()[route.method](route.path(kit, event.id)).set('Authorization', auth), body.body, body.contentType);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${body.name}: ${res.text.slice(0, 300)}`).to.be.within(400, 499);
        if (body.expectedStatus) expect(res.status, body.name).to.equal(body.expectedStatus);
        expect(res.headers['content-type'], body.name).to.match(/^application\/problem\+json/);
      }
      expect(kit.fingerprint(), 'nothing written').to.equal(before);
      // The route still works afterwards: the malformed requests left nothing broken behind.
      const valid = await kit.request()[route.method](route.path(kit, event.id)).set('Authorization', auth).send(route.method === 'patch' ? { title: 'Still works' } : sample);
      expect(valid.status, JSON.stringify(valid.body)).to.be.below(500);
      expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).to.equal(true);
    });
  });
});
