import { err, ok, type DomainError, type Result } from '@conference/kernel';
import { SpeakersNotFoundError, speakerDirectoryUnavailable, type SpeakerDirectory, type SpeakerSummary } from '../ports/speaker-directory.js';

/** The speaker service as a map, for tests and the embedded profile; it can be made unreachable. */
export class InMemorySpeakerDirectory implements SpeakerDirectory {
  private readonly speakers = new Map<string, SpeakerSummary>();
  private reachable = true;
  /** Every non-empty request, as asked. */
  readonly requests: string[][] = [];

  constructor(speakers: readonly SpeakerSummary[] = []) {
    for (const speaker of speakers) this.add(speaker);
  }

  add(speaker: SpeakerSummary): void {
    this.speakers.set(speaker.id.toLowerCase(), { ...speaker });
  }

  remove(id: string): void {
    this.speakers.delete(id.toLowerCase());
  }

  /** Simulates the peer being down (or the circuit open). */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }

  async getSpeakers(ids: readonly string[]): Promise<Result<SpeakerSummary[], DomainError>> {
    if (ids.length === 0) return ok([]);
    this.requests.push([...ids]);
    if (!this.reachable) return err(speakerDirectoryUnavailable('in-memory directory set unreachable'));
    const distinct = [...new Set(ids.map((id) => id.toLowerCase()))];
    const missing = distinct.filter((id) => !this.speakers.has(id));
    if (missing.length > 0) return err(new SpeakersNotFoundError(missing));
    return ok(distinct.map((id) => ({ ...this.speakers.get(id)! })));
  }
}
