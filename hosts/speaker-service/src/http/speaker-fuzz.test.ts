import { expect } from 'chai';
import { malformedBodies, sendRaw, type MalformedBody } from '@conference/http-kit/testing';
import { actors, SAMPLE_SPEAKER, speakerTestApp, type SpeakerTestApp } from './speaker-test-kit.js';

const PER_ROUTE = 520;

/**
 * Two kinds of generated variation leave a VALID body, so they are not malformed input and have no
 * place in a test that asserts nothing is written: "X missing" for a field the route does not
 * require (POST needs only `name`, PATCH only the version), and `userId: null` (an unlinked profile).
 */
const malformed = (seed: number, sample: Record<string, unknown>, required: readonly string[]): MalformedBody[] => {
  const valid = new Set([
    ...Object.keys(sample).filter((f) => !required.includes(f)).map((f) => `${f} missing`),
    'wrong type for userId (null instead of string)',
  ]);
  const bodies = malformedBodies(seed, PER_ROUTE + 200, { sample }).filter((b) => !valid.has(b.name));
  expect(bodies.length).to.be.at.least(PER_ROUTE);
  return bodies.slice(0, PER_ROUTE);
};

/** What the store holds, to compare before and after: speakers and outbox messages. */
const snapshot = (app: SpeakerTestApp) => JSON.stringify({ speakers: app.store.speakers(), outbox: app.store.outbox() });

async function fuzz(app: SpeakerTestApp, bodies: readonly MalformedBody[], send: (body: MalformedBody) => Promise<{ status: number; body: unknown }>): Promise<Map<number, number>> {
  const before = snapshot(app);
  const statuses = new Map<number, number>();
  for (const body of bodies) {
    const res = await send(body);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    expect(res.status, `${body.name}: ${JSON.stringify(res.body).slice(0, 300)}`).to.be.within(400, 499);
    if (body.expectedStatus) expect(res.status, body.name).to.equal(body.expectedStatus);
  }
  expect(snapshot(app), 'nothing written').to.equal(before);
  return statuses;
}

describe('speaker-service HTTP fuzz: malformed bodies on every write route', function () {
  this.timeout(120_000);

  it(`POST /api/speakers: ${PER_ROUTE} malformed bodies, all 4xx, nothing written`, async () => {
    const app = await speakerTestApp();
    const auth = await app.bearer(actors.organizer);
    const statuses = await fuzz(app, malformed(1, SAMPLE_SPEAKER, ['name']), (body) =>
      sendRaw(app.request().post('/api/speakers').set('Authorization', auth), body.body, body.contentType));
    expect([...statuses.keys()].sort()).to.include.members([400, 413, 415]);
  });

  it(`PATCH /api/speakers/:id: ${PER_ROUTE} malformed bodies, all 4xx, nothing written`, async () => {
    const app = await speakerTestApp();
    const created = await app.create(actors.organizer, SAMPLE_SPEAKER);
    const auth = await app.bearer(actors.organizer);
    const sample = { version: 1, name: 'Ada King', headline: 'Countess', bio: 'Notes on the engine', company: 'None', links: [{ label: 'Site', url: 'https://ada.example' }], userId: actors.attendee.userId };
    const statuses = await fuzz(app, malformed(2, sample, ['version']), (body) =>
      sendRaw(app.request().patch(`/api/speakers/${created.id}`).set('Authorization', auth), body.body, body.contentType));
    // "version missing" without If-Match is a 428: the one valid-looking body that still says nothing of its base version.
    expect([...statuses.keys()].sort()).to.include.members([400, 413, 415, 428]);
  });
});
