import { expect } from 'chai';
import { err, ok, type DomainError, type Result } from '@conference/kernel';
import { FixedClock } from '@conference/kernel/testing';
import { SpeakersNotFoundError, speakerDirectoryUnavailable, type SpeakerDirectory, type SpeakerSummary } from '../ports/speaker-directory.js';
import { InMemorySpeakerDirectory } from '../testing/in-memory-speaker-directory.js';
import { CachingSpeakerDirectory } from './caching-speaker-directory.js';

const id = (n: number) => `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;
const speaker = (n: number, name = `Speaker ${n}`): SpeakerSummary => ({ id: id(n), name, headline: `Headline ${n}`, company: `Company ${n}` });

describe('CachingSpeakerDirectory', () => {
  let clock: FixedClock;
  let inner: InMemorySpeakerDirectory;
  let cache: CachingSpeakerDirectory;
  const asked = () => inner.requests.map((request) => [...request]);
  const names = (answer: Result<SpeakerSummary[], DomainError>) => (answer.ok ? answer.value.map((s) => s.name) : answer.error.code);

  beforeEach(() => {
    clock = new FixedClock('2026-05-04T09:00:00.000Z');
    inner = new InMemorySpeakerDirectory([1, 2, 3, 4, 5].map((n) => speaker(n)));
    cache = new CachingSpeakerDirectory(inner, { clock, ttlMs: 30_000, maxEntries: 3 });
    cache.invalidationsLive();
  });

  it('answers a repeated lookup from the cache, in the order asked', async () => {
    expect(names(await cache.getSpeakers([id(2), id(1)]))).to.deep.equal(['Speaker 2', 'Speaker 1']);
    expect(names(await cache.getSpeakers([id(1), id(2), id(1)]))).to.deep.equal(['Speaker 1', 'Speaker 2']);
    expect(asked()).to.deep.equal([[id(2), id(1)]]);
  });

  it('asks only for the misses and merges them with the hits in the order asked', async () => {
    await cache.getSpeakers([id(2)]);
    expect(names(await cache.getSpeakers([id(3), id(2).toUpperCase(), id(1)]))).to.deep.equal(['Speaker 3', 'Speaker 2', 'Speaker 1']);
    expect(asked()).to.deep.equal([[id(2)], [id(3), id(1)]]);
  });

  it('asks again once the TTL has passed, not before', async () => {
    await cache.getSpeakers([id(1)]);
    clock.advance(29_999);
    await cache.getSpeakers([id(1)]);
    expect(asked()).to.have.length(1);
    inner.add(speaker(1, 'Renamed'));
    clock.advance(1);
    expect(names(await cache.getSpeakers([id(1)]))).to.deep.equal(['Renamed']);
    expect(asked()).to.have.length(2);
  });

  it('forgets a changed speaker at once and answers the new summary', async () => {
    await cache.getSpeakers([id(1), id(2)]);
    inner.add(speaker(1, 'Renamed'));
    cache.forget([id(1).toUpperCase()]);
    expect(names(await cache.getSpeakers([id(1), id(2)]))).to.deep.equal(['Renamed', 'Speaker 2']);
    expect(asked()).to.deep.equal([[id(1), id(2)], [id(1)]]);
  });

  it('answers not found for a deleted speaker once forgotten', async () => {
    await cache.getSpeakers([id(1), id(2)]);
    inner.remove(id(2));
    cache.forget([id(2)]);
    const answer = await cache.getSpeakers([id(1), id(2)]);
    expect(!answer.ok && answer.error).to.be.instanceOf(SpeakersNotFoundError);
    expect(!answer.ok && (answer.error as SpeakersNotFoundError).missingIds).to.deep.equal([id(2)]);
  });

  it('keeps at most maxEntries, dropping the oldest stored first', async () => {
    await cache.getSpeakers([id(1), id(2), id(3)]);
    await cache.getSpeakers([id(4)]);
    expect(cache.size).to.equal(3);
    await cache.getSpeakers([id(2), id(3), id(4)]);
    expect(asked()).to.have.length(2);
    await cache.getSpeakers([id(1)]);
    expect(asked().at(-1)).to.deep.equal([id(1)]);
    expect(cache.size).to.equal(3);
  });

  it('does not cache "not found": a speaker created later is found at once', async () => {
    const missing = await cache.getSpeakers([id(1), id(9)]);
    expect(!missing.ok && (missing.error as SpeakersNotFoundError).missingIds).to.deep.equal([id(9)]);
    inner.add(speaker(9));
    expect(names(await cache.getSpeakers([id(1), id(9)]))).to.deep.equal(['Speaker 1', 'Speaker 9']);
    expect(asked()).to.have.length(2);
  });

  it('names only the unknown ids, in the order asked, when some were hits', async () => {
    await cache.getSpeakers([id(1)]);
    const answer = await cache.getSpeakers([id(8), id(1), id(9), id(8)]);
    expect(!answer.ok && (answer.error as SpeakersNotFoundError).missingIds).to.deep.equal([id(8), id(9)]);
  });

  it('does not cache failures: the next call asks again and is answered', async () => {
    inner.setReachable(false);
    expect(names(await cache.getSpeakers([id(1)]))).to.equal('SESSION.SPEAKER_DIRECTORY_UNAVAILABLE');
    inner.setReachable(true);
    expect(names(await cache.getSpeakers([id(1)]))).to.deep.equal(['Speaker 1']);
    expect(asked()).to.have.length(2);
    expect(cache.size).to.equal(1);
  });

  it('passes every call through while the invalidation feed is not live, and starts empty when it is', async () => {
    cache.invalidationsLost();
    await cache.getSpeakers([id(1)]);
    await cache.getSpeakers([id(1)]);
    expect(asked()).to.have.length(2);
    expect(cache.size).to.equal(0);
    cache.invalidationsLive();
    await cache.getSpeakers([id(1)]);
    await cache.getSpeakers([id(1)]);
    expect(asked()).to.have.length(3);
  });

  it('forgets everything when the feed drops, since invalidations may be missed from then on', async () => {
    await cache.getSpeakers([id(1), id(2)]);
    cache.invalidationsLost();
    expect(cache.size).to.equal(0);
    cache.invalidationsLive();
    await cache.getSpeakers([id(1)]);
    expect(asked()).to.have.length(2);
  });

  it('does not store an answer fetched while the speaker was forgotten', async () => {
    let answerWith!: (result: Result<SpeakerSummary[], DomainError>) => void;
    const slow: SpeakerDirectory = { getSpeakers: () => new Promise((resolve) => { answerWith = resolve; }) };
    const racing = new CachingSpeakerDirectory(slow, { clock });
    racing.invalidationsLive();
    const inFlight = racing.getSpeakers([id(1)]);
    racing.forget([id(1)]);
    answerWith(ok([speaker(1, 'Before the change')]));
    expect(names(await inFlight)).to.deep.equal(['Before the change']);
    expect(racing.size).to.equal(0);
  });

  it('answers [] for no ids without asking', async () => {
    expect(await cache.getSpeakers([])).to.deep.equal({ ok: true, value: [] });
    expect(asked()).to.deep.equal([]);
  });

  it('passes an unavailable error on as it is', async () => {
    const failing = new CachingSpeakerDirectory({ getSpeakers: async () => err(speakerDirectoryUnavailable('down')) }, { clock });
    failing.invalidationsLive();
    const answer = await failing.getSpeakers([id(1)]);
    expect(!answer.ok && answer.error.kind).to.equal('unavailable');
  });
});
