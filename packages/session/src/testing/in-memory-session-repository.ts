import type { MessagingState } from '@conference/kernel/testing';
import { DuplicateSessionError, staleSession } from '../domain/errors.js';
import { overlaps, roomKey, type TimeSlot } from '../domain/schedule.js';
import type { Session } from '../domain/session.js';
import type { SessionKey, SessionListQuery, SessionRepository } from '../ports/session-repository.js';

/** The tables of an in-memory session store; structured-cloneable so a throw rolls it back. */
export interface SessionState extends MessagingState {
  sessions: Map<string, Session>;
}

export const emptySessionState = (): SessionState => ({ outbox: [], inbox: new Map(), sessions: new Map() });

const byKey = (a: SessionKey, b: SessionKey): number =>
  a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** SessionRepository over a SessionState; its contract is in ports/session-repository.ts. */
export class InMemorySessionRepository implements SessionRepository {
  constructor(private readonly state: () => SessionState) {}

  private get rows(): Map<string, Session> {
    return this.state().sessions;
  }

  private select(predicate: (s: Session) => boolean): Session[] {
    return [...this.rows.values()].filter(predicate).sort(byKey).map((s) => structuredClone(s));
  }

  async insert(session: Session): Promise<void> {
    const id = session.id.toLowerCase();
    if (this.rows.has(id)) throw new DuplicateSessionError(id);
    this.rows.set(id, structuredClone({ ...session, id }));
  }

  async findById(id: string): Promise<Session | null> {
    const found = this.rows.get(id.toLowerCase());
    return found ? structuredClone(found) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Session[]> {
    const wanted = new Set(ids.map((id) => id.toLowerCase()));
    return this.select((s) => wanted.has(s.id));
  }

  async update(session: Session, expectedVersion: number): Promise<void> {
    const id = session.id.toLowerCase();
    const stored = this.rows.get(id);
    if (!stored || stored.version !== expectedVersion) throw staleSession(id);
    this.rows.set(id, structuredClone({ ...session, id }));
  }

  async delete(id: string, expectedVersion: number): Promise<void> {
    const key = id.toLowerCase();
    const stored = this.rows.get(key);
    if (!stored || stored.version !== expectedVersion) throw staleSession(key);
    this.rows.delete(key);
  }

  async list(query: SessionListQuery): Promise<Session[]> {
    const eventId = query.eventId?.toLowerCase();
    const speakerId = query.speakerId?.toLowerCase();
    const { from, to, after } = query;
    return this.select(
      (s) =>
        (eventId === undefined || s.eventId === eventId) &&
        (speakerId === undefined || s.speakerIds.includes(speakerId)) &&
        (from === undefined || s.endsAt.getTime() > from.getTime()) &&
        (to === undefined || s.startsAt.getTime() < to.getTime()) &&
        (!after || byKey(s, { startsAt: after.startsAt, id: after.id.toLowerCase() }) > 0),
    ).slice(0, Math.max(query.limit, 0));
  }

  async findSpeakerOverlaps(speakerIds: readonly string[], slot: TimeSlot, excludeId: string | null): Promise<Session[]> {
    const wanted = new Set(speakerIds.map((id) => id.toLowerCase()));
    const exclude = excludeId?.toLowerCase();
    return this.select((s) => s.id !== exclude && s.speakerIds.some((id) => wanted.has(id)) && overlaps(s, slot));
  }

  async findRoomOverlaps(eventId: string, room: string, slot: TimeSlot, excludeId: string | null): Promise<Session[]> {
    const key = roomKey(room);
    const event = eventId.toLowerCase();
    const exclude = excludeId?.toLowerCase();
    return this.select((s) => s.id !== exclude && s.eventId === event && roomKey(s.room) === key && overlaps(s, slot));
  }

  async findBySpeaker(speakerId: string): Promise<Session[]> {
    const id = speakerId.toLowerCase();
    return this.select((s) => s.speakerIds.includes(id));
  }
}
