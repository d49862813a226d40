import { StaleVersionError, compareKeys } from '@conference/kernel';
import { emptyMessagingState, type MessagingState } from '@conference/kernel/testing';
import { UserAlreadyLinkedError } from '../domain/errors.js';
import { speakerSortKey, type Speaker } from '../domain/speaker.js';
import type { SpeakerListQuery, SpeakerRepository } from '../ports/speaker-repository.js';

/** The tables of the in-memory speaker store: speakers by id, plus outbox and inbox. */
export interface SpeakerState extends MessagingState {
  speakers: Map<string, Speaker>;
}

export const emptySpeakerState = (): SpeakerState => ({ ...emptyMessagingState(), speakers: new Map() });

/**
 * SpeakerRepository over a plain Map. Rows are copied in and out, so callers never share objects
 * with the store (as with a database). Ordering uses JavaScript's lowercase and code-point order.
 */
export class InMemorySpeakerRepository implements SpeakerRepository {
  constructor(private readonly state: () => SpeakerState) {}

  private get rows(): Map<string, Speaker> {
    return this.state().speakers;
  }

  private linkedElsewhere(speaker: Speaker): boolean {
    if (speaker.userId === null) return false;
    for (const row of this.rows.values()) if (row.userId === speaker.userId && row.id !== speaker.id) return true;
    return false;
  }

  async insert(speaker: Speaker): Promise<void> {
    if (this.rows.has(speaker.id)) throw new Error(`speaker ${speaker.id} already exists`);
    if (this.linkedElsewhere(speaker)) throw new UserAlreadyLinkedError(speaker.userId!);
    this.rows.set(speaker.id, structuredClone(speaker));
  }

  async findById(id: string): Promise<Speaker | null> {
    const row = this.rows.get(id);
    return row ? structuredClone(row) : null;
  }

  async findByUserId(userId: string): Promise<Speaker | null> {
    for (const row of this.rows.values()) if (row.userId === userId) return structuredClone(row);
    return null;
  }

  async findByIds(ids: readonly string[]): Promise<Speaker[]> {
    const found: Speaker[] = [];
    for (const id of new Set(ids)) {
      const row = this.rows.get(id);
      if (row) found.push(structuredClone(row));
    }
    return found;
  }

  async update(speaker: Speaker, expectedVersion: number): Promise<void> {
    const stored = this.rows.get(speaker.id);
    if (!stored || stored.version !== expectedVersion) throw new StaleVersionError('speaker', speaker.id);
    if (this.linkedElsewhere(speaker)) throw new UserAlreadyLinkedError(speaker.userId!);
    this.rows.set(speaker.id, structuredClone(speaker));
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    const stored = this.rows.get(id);
    if (!stored || stored.version !== expectedVersion) throw new StaleVersionError('speaker', id);
    this.rows.delete(id);
  }

  async list(query: SpeakerListQuery): Promise<Speaker[]> {
    const q = query.q?.toLowerCase() ?? '';
    const matches = (s: Speaker) =>
      q === '' || [s.name, s.company, s.headline].some((field) => field.toLowerCase().includes(q));
    const after = query.after ? speakerSortKey(query.after) : null;
    return [...this.rows.values()]
      .filter(matches)
      .filter((s) => after === null || compareKeys(speakerSortKey(s), after) > 0)
      .sort((a, b) => compareKeys(speakerSortKey(a), speakerSortKey(b)))
      .slice(0, Math.max(query.limit, 0))
      .map((s) => structuredClone(s));
  }
}
