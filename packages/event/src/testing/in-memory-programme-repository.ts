import { byStart, type ProgrammeEntry, type SessionWatermark } from '../domain/programme.js';
import type { ProgrammeRepository } from '../ports/programme-repository.js';
import { pairKey, type EventStoreState } from './event-store-state.js';

export class InMemoryProgrammeRepository implements ProgrammeRepository {
  constructor(private readonly state: () => EventStoreState) {}

  async upsert(entry: ProgrammeEntry): Promise<void> {
    this.state().programme.set(pairKey(entry.eventId, entry.sessionId), structuredClone(entry));
  }

  async find(eventId: string, sessionId: string): Promise<ProgrammeEntry | null> {
    const entry = this.state().programme.get(pairKey(eventId, sessionId));
    return entry ? structuredClone(entry) : null;
  }

  async remove(eventId: string, sessionId: string): Promise<boolean> {
    return this.state().programme.delete(pairKey(eventId, sessionId));
  }

  async removeSession(sessionId: string): Promise<readonly string[]> {
    return this.removeWhere((entry) => entry.sessionId === sessionId);
  }

  async removeEvent(eventId: string): Promise<void> {
    this.removeWhere((entry) => entry.eventId === eventId);
  }

  async listByEvent(eventId: string): Promise<readonly ProgrammeEntry[]> {
    return structuredClone([...this.state().programme.values()].filter((e) => e.eventId === eventId).sort(byStart));
  }

  async findBySession(sessionId: string): Promise<readonly ProgrammeEntry[]> {
    return structuredClone([...this.state().programme.values()].filter((e) => e.sessionId === sessionId));
  }

  async watermark(sessionId: string): Promise<SessionWatermark | null> {
    const watermark = this.state().watermarks.get(sessionId);
    return watermark ? { ...watermark } : null;
  }

  async saveWatermark(watermark: SessionWatermark): Promise<void> {
    this.state().watermarks.set(watermark.sessionId, { ...watermark });
  }

  private removeWhere(matches: (entry: ProgrammeEntry) => boolean): string[] {
    const programme = this.state().programme;
    const eventIds: string[] = [];
    for (const [key, entry] of programme) {
      if (!matches(entry)) continue;
      programme.delete(key);
      eventIds.push(entry.eventId);
    }
    return eventIds;
  }
}
