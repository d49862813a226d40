import { expect } from 'chai';
import sinon from 'sinon';
import { err, type DomainError, type Result } from '@conference/kernel';
import type { Session } from '../domain/session.js';
import { speakerDirectoryUnavailable } from '../ports/speaker-directory.js';
import { toDetailsView, toPageView, toView } from './views.js';
import { at, eventId, makeTestbed, organizer, speakerId, speakers, type Testbed } from './testbed.js';

const failure = <T>(result: Result<T, DomainError>): DomainError => {
  expect(result.ok, 'expected a failure').to.equal(false);
  return (result as { error: DomainError }).error;
};

describe('GetSession', () => {
  let t: Testbed;
  let session: Session;
  beforeEach(async () => {
    t = makeTestbed();
    session = await t.given({ speakerIds: [speakerId(3), speakerId(1)] });
  });

  it('returns the session with its speakers in the session\'s order', async () => {
    const result = await t.get.execute({ sessionId: session.id });
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.value.session).to.deep.equal(session);
    expect(result.value.speakers).to.deep.equal([speakers[2], speakers[0]]);
    expect(toDetailsView(result.value).speakers?.map((s) => s.name)).to.deep.equal(['Speaker 3', 'Speaker 1']);
  });

  it('still returns the session, with speakers: null, when the speaker service is unavailable', async () => {
    t.directory.setReachable(false);
    const result = await t.get.execute({ sessionId: session.id });
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.value.speakers).to.equal(null);
    expect(toDetailsView(result.value)).to.deep.include({ id: session.id, speakers: null, speakerIds: [speakerId(3), speakerId(1)] });
  });

  it('leaves out a speaker the directory no longer knows and shows the rest', async () => {
    t.directory.remove(speakerId(3));
    const result = await t.get.execute({ sessionId: session.id });
    expect(result.ok && result.value.speakers).to.deep.equal([speakers[0]]);
  });

  it('shows speakers: null when the directory fails on the second ask too', async () => {
    const real = t.directory.getSpeakers.bind(t.directory);
    const ask = sinon.stub(t.directory, 'getSpeakers');
    ask.onFirstCall().callsFake(real);
    ask.onSecondCall().resolves(err(speakerDirectoryUnavailable('timeout')));
    t.directory.remove(speakerId(3));
    const result = await t.get.execute({ sessionId: session.id });
    expect(result.ok && result.value.speakers).to.equal(null);
    expect(ask.callCount).to.equal(2);
  });

  it('does not ask the speaker service for a session without speakers', async () => {
    const bare = await t.given({ room: 'Room Z' });
    const before = t.directory.requests.length;
    const result = await t.get.execute({ sessionId: bare.id });
    expect(result.ok && result.value.speakers).to.deep.equal([]);
    expect(t.directory.requests.length).to.equal(before);
  });

  it('answers not found for an unknown or malformed id', async () => {
    for (const id of ['5e550000-0000-4000-8000-0000000000ff', "1'; drop table sessions"]) {
      expect(failure(await t.get.execute({ sessionId: id })).code).to.equal('SESSION.NOT_FOUND');
    }
  });

  it('renders the view of DESIGN §3: camelCase, ISO times, id and version', () => {
    expect(toView(session)).to.deep.equal({
      id: session.id,
      eventId: eventId(1),
      ownerId: organizer.userId,
      title: 'Typed actors',
      abstract: 'A tour',
      startsAt: '2026-05-04T10:00:00.000Z',
      endsAt: '2026-05-04T11:00:00.000Z',
      room: 'Room A',
      speakerIds: [speakerId(3), speakerId(1)],
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
      version: 1,
    });
  });
});

describe('ListSessions', () => {
  let t: Testbed;
  let made: Session[];
  beforeEach(async () => {
    t = makeTestbed();
    made = [];
    // Five sessions of event 1 across the day, two of them at 09:00; one of event 2; one alone.
    for (const [room, from, to, speakerIds] of [
      ['R1', '09:00', '10:00', [speakerId(1)]],
      ['R2', '09:00', '09:45', []],
      ['R1', '10:00', '11:00', [speakerId(2)]],
      ['R2', '11:00', '12:00', [speakerId(1)]],
      ['R1', '13:00', '14:00', []],
    ] as const) {
      made.push(await t.given({ room, startsAt: at(from), endsAt: at(to), speakerIds: [...speakerIds] }));
    }
    made.push(await t.given({ eventId: eventId(2), startsAt: at('08:00'), endsAt: at('09:00') }));
    made.push(await t.given({ eventId: null, startsAt: at('15:00'), endsAt: at('16:00'), speakerIds: [speakerId(1)] }));
  });

  const titlesOf = (items: readonly Session[]) => items.map((s) => made.indexOf(made.find((m) => m.id === s.id)!));

  it('lists in (startsAt, id) order and filters by event, speaker and window', async () => {
    const all = await t.list.execute({});
    expect(all.ok && titlesOf(all.value.items)).to.deep.equal([5, 0, 1, 2, 3, 4, 6]);
    const ofEvent = await t.list.execute({ eventId: eventId(1) });
    expect(ofEvent.ok && titlesOf(ofEvent.value.items)).to.deep.equal([0, 1, 2, 3, 4]);
    const ofSpeaker = await t.list.execute({ speakerId: speakerId(1) });
    expect(ofSpeaker.ok && titlesOf(ofSpeaker.value.items)).to.deep.equal([0, 3, 6]);
    const window = await t.list.execute({ eventId: eventId(1), from: at('10:00'), to: at('13:00') });
    expect(window.ok && titlesOf(window.value.items)).to.deep.equal([2, 3]);
  });

  it('pages with cursors: no repeats, no gaps, even when sessions are added between pages', async () => {
    const first = await t.list.execute({ limit: 3 });
    expect(first.ok).to.equal(true);
    if (!first.ok) return;
    expect(titlesOf(first.value.items)).to.deep.equal([5, 0, 1]);
    expect(first.value.nextCursor).to.be.a('string');
    // Added before the cursor: it must not shift what comes next.
    made.push(await t.given({ eventId: eventId(3), startsAt: at('07:00'), endsAt: at('08:00') }));
    const second = await t.list.execute({ limit: 3, cursor: first.value.nextCursor });
    expect(second.ok && titlesOf(second.value.items)).to.deep.equal([2, 3, 4]);
    const third = await t.list.execute({ limit: 3, cursor: second.ok ? second.value.nextCursor : null });
    expect(third.ok && titlesOf(third.value.items)).to.deep.equal([6]);
    expect(third.ok && third.value.nextCursor).to.equal(null);
    expect(toPageView(third.ok ? third.value : { items: [], nextCursor: null }).items[0]?.id).to.equal(made[6]!.id);
  });

  it('refuses a cursor it did not issue', async () => {
    for (const cursor of ['garbage', Buffer.from(JSON.stringify(['2026-05-04T09:00:00.000Z', 'x'])).toString('base64url'), Buffer.from('["not a date","5e550000-0000-4000-8000-000000000001"]').toString('base64url')]) {
      expect(failure(await t.list.execute({ cursor })).code).to.equal('PAGINATION.INVALID_CURSOR');
    }
  });

  it('refuses malformed filters and a window that ends before it starts', async () => {
    const error = failure(await t.list.execute({ eventId: 'x', speakerId: 'y', from: at('12:00'), to: at('11:00') }));
    expect(error.code).to.equal('SESSION.INVALID_FILTER');
    expect(error.issues.map((i) => i.path)).to.deep.equal(['eventId', 'speakerId', 'to']);
  });
});

describe('ValidateSession and GetSessionsByIds', () => {
  let t: Testbed;
  let a: Session;
  let b: Session;
  beforeEach(async () => {
    t = makeTestbed();
    a = await t.given({ speakerIds: [speakerId(1)] });
    b = await t.given({ eventId: null, startsAt: at('08:00'), endsAt: at('09:00') });
  });

  it('summarizes an existing session', async () => {
    expect(await t.validate.execute({ sessionId: a.id.toUpperCase() })).to.deep.equal({
      ok: true,
      value: { id: a.id, eventId: eventId(1), title: 'Typed actors', startsAt: a.startsAt, endsAt: a.endsAt, room: 'Room A', speakerIds: [speakerId(1)], version: 1 },
    });
  });

  it('answers not_found for an unknown id and a validation error for a malformed one', async () => {
    expect(failure(await t.validate.execute({ sessionId: '5e550000-0000-4000-8000-0000000000ff' }))).to.deep.include({ code: 'SESSION.NOT_FOUND', kind: 'not_found' });
    expect(failure(await t.validate.execute({ sessionId: 'abc' }))).to.deep.include({ code: 'SESSION.INVALID_ID', kind: 'validation' });
  });

  it('reads a batch in the order asked, each once, leaving out unknown ids', async () => {
    const result = await t.byIds.execute({ ids: [a.id, '5e550000-0000-4000-8000-0000000000ff', b.id, a.id] });
    expect(result.ok && result.value.map((s) => s.id)).to.deep.equal([a.id, b.id]);
    expect(await t.byIds.execute({ ids: [] })).to.deep.equal({ ok: true, value: [] });
    expect(failure(await t.byIds.execute({ ids: [a.id, 'x'] })).issues).to.deep.equal([{ path: 'ids[1]', message: 'must be a UUID' }]);
  });
});
