import { ok, type Clock, type DomainError, type Result } from '@conference/kernel';
import type { SpeakerDirectory, SpeakerSummary } from '../ports/speaker-directory.js';

export interface CachingSpeakerDirectoryOptions {
  readonly clock: Clock;
  /** How long a summary may be served without asking again (default 30 s): the backstop when invalidations stop arriving. */
  readonly ttlMs?: number;
  /** Summaries kept at most (default 10,000); the oldest stored goes first. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly summary: SpeakerSummary;
  readonly expiresAt: number;
}

export const DEFAULT_SPEAKER_CACHE_TTL_MS = 30_000;
export const DEFAULT_SPEAKER_CACHE_MAX_ENTRIES = 10_000;

/**
 * A SpeakerDirectory that remembers the summaries another one answered, so most session reads
 * skip the speaker service. It keeps the SpeakerDirectory contract; only the freshness differs.
 *
 * Staleness bound. The cache only serves while its invalidation feed is live (`invalidationsLive`
 * after the feed subscribed, `invalidationsLost` when it dropped): a summary it answers is then at
 * most as old as the time speaker.updated / speaker.deleted take from the speaker service's commit
 * to `forget` here (its outbox relay is kicked on commit, then the broker: normally milliseconds),
 * and never older than `ttlMs` (default 30 s) even if those messages stop while the feed stays up
 * (the speaker service's relay down, say). Without a live feed (a composition that wires none, or
 * while the broker is away) every call goes to the directory it wraps, as if there were no cache,
 * and going live again starts from an empty cache, since invalidations may have been missed.
 *
 * What is never cached: "not found" (a speaker created a moment later must be found at once) and
 * failures (an unavailable peer is asked again on the next call). A fetch that was in flight while
 * anything was forgotten is answered but not stored, so it cannot put back what an invalidation
 * just removed.
 *
 * Eviction is by insertion order, not use: hits do not reorder entries (cheaper on the hot path),
 * and the TTL makes every entry re-enter at the back anyway.
 *
 * Use it for display (GetSession). Writes that book speakers ask the uncached directory: a stale
 * "exists" for a speaker just deleted would book a speaker whose speaker.deleted has already been
 * handled, and nothing would detach it afterwards.
 */
export class CachingSpeakerDirectory implements SpeakerDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private live = false;
  /** Bumped by every forget/clear: fetches that started before a bump do not store their answer. */
  private epoch = 0;

  constructor(private readonly inner: SpeakerDirectory, options: CachingSpeakerDirectoryOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? DEFAULT_SPEAKER_CACHE_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_SPEAKER_CACHE_MAX_ENTRIES;
    if (!(this.ttlMs > 0)) throw new Error('ttlMs must be positive');
    if (!(this.maxEntries >= 1)) throw new Error('maxEntries must be at least 1');
  }

  /** Summaries held now (expired ones included until they are asked for or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /** True while invalidations arrive, i.e. while answers may come from the cache. */
  get isLive(): boolean {
    return this.live;
  }

  /** The invalidation feed (re)subscribed: start from empty, then serve from the cache. */
  invalidationsLive(): void {
    this.clear();
    this.live = true;
  }

  /** The invalidation feed dropped: changes may go unnoticed, so stop serving from the cache. */
  invalidationsLost(): void {
    this.live = false;
    this.clear();
  }

  /** These speakers changed or are gone (speaker.updated, speaker.deleted). */
  forget(speakerIds: readonly string[]): void {
    this.epoch += 1;
    for (const id of speakerIds) this.entries.delete(id.toLowerCase());
  }

  clear(): void {
    this.epoch += 1;
    this.entries.clear();
  }

  async getSpeakers(ids: readonly string[]): Promise<Result<SpeakerSummary[], DomainError>> {
    if (ids.length === 0) return ok([]);
    if (!this.live) return this.inner.getSpeakers(ids);

    const now = this.clock.now().getTime();
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    const found = new Map<string, SpeakerSummary>();
    const misses: string[] = [];
    for (const id of wanted) {
      const entry = this.entries.get(id);
      if (entry && entry.expiresAt > now) {
        found.set(id, entry.summary);
      } else {
        if (entry) this.entries.delete(id);
        misses.push(id);
      }
    }
    if (misses.length === 0) return ok(wanted.map((id) => found.get(id)!));

    const epoch = this.epoch;
    const answer = await this.inner.getSpeakers(misses);
    // Passed on as it is: only misses were asked, so a SpeakersNotFoundError already names exactly
    // this request's unknown ids in its order (the hits are known).
    if (!answer.ok) return answer;
    const store = this.live && epoch === this.epoch;
    for (const summary of answer.value) {
      const id = summary.id.toLowerCase();
      found.set(id, summary);
      if (store) this.remember(id, summary, now + this.ttlMs);
    }
    // An id the directory silently left out stays out: callers that must know (verifySpeakers) check.
    return ok(wanted.flatMap((id) => found.get(id) ?? []));
  }

  private remember(id: string, summary: SpeakerSummary, expiresAt: number): void {
    this.entries.delete(id);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(id, { summary: { id: summary.id, name: summary.name, headline: summary.headline, company: summary.company }, expiresAt });
  }
}
