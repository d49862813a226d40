import { ENROLLMENT_STATUSES, type Enrollment, type EnrollmentStatus } from '../domain/enrollment.js';
import type { EnrollmentAndQueueHead, EnrollmentCounts, EnrollmentRepository, EnrollmentsWithQueues, WaitlistTail } from '../ports/enrollment-repository.js';
import type { Keyset, Slice } from '../ports/keyset.js';
import { pairKey, type EventStoreState } from './event-store-state.js';
import { compareSortKeys, sliceAfter } from './keyset-slice.js';

export class InMemoryEnrollmentRepository implements EnrollmentRepository {
  constructor(private readonly state: () => EventStoreState) {}

  async find(eventId: string, userId: string): Promise<Enrollment | null> {
    const enrollment = this.state().enrollments.get(pairKey(eventId, userId));
    return enrollment ? structuredClone(enrollment) : null;
  }

  async save(enrollment: Enrollment): Promise<void> {
    this.state().enrollments.set(pairKey(enrollment.eventId, enrollment.userId), structuredClone(enrollment));
  }

  async saveMany(enrollments: readonly Enrollment[]): Promise<void> {
    for (const enrollment of enrollments) await this.save(enrollment);
  }

  async findManyWithQueues(
    pairs: readonly { readonly eventId: string; readonly userId: string }[],
    queues: readonly { readonly eventId: string; readonly heads: number }[],
  ): Promise<EnrollmentsWithQueues> {
    const seen = new Set<string>();
    const enrollments = [];
    for (const { eventId, userId } of pairs) {
      const key = pairKey(eventId, userId);
      const enrollment = this.state().enrollments.get(key);
      if (seen.has(key) || !enrollment) continue;
      seen.add(key);
      enrollments.push({ enrollment: structuredClone(enrollment), position: await this.waitlistPosition(eventId, userId) });
    }
    const read = [];
    for (const { eventId, heads } of queues) {
      read.push({ eventId, heads: structuredClone(this.waitlist(eventId).slice(0, Math.max(heads, 0))), tail: await this.waitlistTail(eventId) });
    }
    return { enrollments, queues: read };
  }

  async findWithQueueHead(eventId: string, userId: string): Promise<EnrollmentAndQueueHead> {
    return { enrollment: await this.find(eventId, userId), queueHead: await this.firstWaitlisted(eventId) };
  }

  async firstWaitlisted(eventId: string): Promise<Enrollment | null> {
    const first = this.waitlist(eventId)[0];
    return first ? structuredClone(first) : null;
  }

  async waitlistTail(eventId: string): Promise<WaitlistTail> {
    const waitlist = this.waitlist(eventId);
    return { nextOrder: waitlist.reduce((max, e) => Math.max(max, e.waitlistOrder ?? 0), 0) + 1, length: waitlist.length };
  }

  async waitlistPosition(eventId: string, userId: string): Promise<number | null> {
    const index = this.waitlist(eventId).findIndex((e) => e.userId === userId);
    return index === -1 ? null : index + 1;
  }

  async listByEvent(eventId: string, statuses: readonly EnrollmentStatus[], page: Keyset): Promise<Slice<Enrollment>> {
    const matches = this.ofEvent(eventId).filter((e) => statuses.length === 0 || statuses.includes(e.status));
    return copy(sliceAfter(matches, (e) => ({ at: e.createdAt, id: e.userId }), page));
  }

  async listByUser(userId: string, page: Keyset): Promise<Slice<Enrollment>> {
    const matches = [...this.state().enrollments.values()].filter((e) => e.userId === userId);
    return copy(sliceAfter(matches, (e) => ({ at: e.createdAt, id: e.eventId }), page));
  }

  async listActive(eventId: string): Promise<readonly Enrollment[]> {
    const active = this.ofEvent(eventId).filter((e) => e.status === 'enrolled' || e.status === 'waitlisted');
    return structuredClone(active.sort((a, b) => compareSortKeys({ at: a.createdAt, id: a.userId }, { at: b.createdAt, id: b.userId })));
  }

  async counts(eventId: string): Promise<EnrollmentCounts> {
    const counts = Object.fromEntries(ENROLLMENT_STATUSES.map((status) => [status, 0])) as Record<EnrollmentStatus, number>;
    for (const e of this.ofEvent(eventId)) counts[e.status] += 1;
    return counts;
  }

  async deleteByEvent(eventId: string): Promise<void> {
    const enrollments = this.state().enrollments;
    for (const [key, e] of enrollments) if (e.eventId === eventId) enrollments.delete(key);
  }

  private ofEvent(eventId: string): Enrollment[] {
    return [...this.state().enrollments.values()].filter((e) => e.eventId === eventId);
  }

  private waitlist(eventId: string): Enrollment[] {
    return this.ofEvent(eventId)
      .filter((e) => e.status === 'waitlisted')
      .sort((a, b) => (a.waitlistOrder ?? 0) - (b.waitlistOrder ?? 0));
  }
}

const copy = <T>(slice: Slice<T>): Slice<T> => ({ items: structuredClone(slice.items), hasMore: slice.hasMore });
