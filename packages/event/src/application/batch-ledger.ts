import type { OutgoingMessage } from '@conference/kernel';
import type { Enrollment } from '../domain/enrollment.js';
import type { Event } from '../domain/event.js';
import type { PlacedEnrollment, QueueRead, WaitlistTail } from '../ports/enrollment-repository.js';
import type { EventLedger } from './seat-allocation.js';

/**
 * The batch needed something its one read did not bring (a queue longer than the heads it read, a
 * change to the queue other than serving its head). Thrown inside the unit of work, so it rolls back;
 * the batch is then handled message by message.
 */
export class BatchReadExhausted extends Error {
  constructor(detail: string) {
    super(`the batch read did not bring what the batch needs: ${detail}`);
    this.name = 'BatchReadExhausted';
  }
}

/**
 * One locked event as a batch of enrollment requests sees it: the enrollments the batch read, the
 * heads of the waitlist and where it ends, with every save of the batch applied in memory. The
 * batch writes `changed()` and `event` back at its end, under the same lock.
 *
 * Why the queue can be followed in memory: under the lock, enrollment requests change the waitlist
 * only by serving its head (a promotion) or by a newcomer joining its end. So the length and the
 * highest order are known from the read tail, and a position is the one read (or given on joining)
 * less the promotions since.
 */
export class BatchLedger implements EventLedger {
  event: Event;
  readonly initial: Event;
  private readonly enrollments = new Map<string, Enrollment>();
  private readonly changes = new Map<string, Enrollment>();
  /** Per waitlisted user, their position plus the promotions made before it was known. */
  private readonly ranks = new Map<string, number>();
  /** Waitlisted by the read (lowest order first), then those who joined in this batch. */
  private readonly queue: Enrollment[];
  /** How many entries of `queue` the read brought, and how many of the stored waitlist it did not. */
  private readonly readHeads: number;
  private readonly unread: number;
  private length: number;
  private highestOrder: number;
  private promotions = 0;

  constructor(
    event: Event,
    read: QueueRead,
    enrollments: readonly PlacedEnrollment[],
    private readonly outgoing: OutgoingMessage[],
  ) {
    this.event = event;
    this.initial = event;
    this.queue = [...read.heads];
    this.readHeads = read.heads.length;
    this.unread = read.tail.length - read.heads.length;
    this.length = read.tail.length;
    this.highestOrder = read.tail.nextOrder - 1;
    read.heads.forEach((head, i) => {
      this.enrollments.set(head.userId, head);
      this.ranks.set(head.userId, i + 1);
    });
    for (const { enrollment, position } of enrollments) {
      this.enrollments.set(enrollment.userId, enrollment);
      if (enrollment.status === 'waitlisted' && position !== null) this.ranks.set(enrollment.userId, position);
    }
  }

  /** The user's enrollment as the batch has left it so far, or null. */
  enrollmentOf(userId: string): Enrollment | null {
    return this.enrollments.get(userId) ?? null;
  }

  /** Every enrollment the batch saved, once each, as it last saved it. */
  changed(): readonly Enrollment[] {
    return [...this.changes.values()];
  }

  async firstWaitlisted(): Promise<Enrollment | null> {
    return this.head();
  }

  async waitlistTail(): Promise<WaitlistTail> {
    return { nextOrder: this.highestOrder + 1, length: this.length };
  }

  async waitlistPosition(userId: string): Promise<number | null> {
    if (this.enrollments.get(userId)?.status !== 'waitlisted') return null;
    const rank = this.ranks.get(userId);
    if (rank === undefined) throw new BatchReadExhausted(`no position of waitlisted user ${userId}`);
    return rank - this.promotions;
  }

  async save(enrollment: Enrollment): Promise<void> {
    const before = this.enrollments.get(enrollment.userId) ?? null;
    const wasWaiting = before?.status === 'waitlisted';
    const waits = enrollment.status === 'waitlisted';
    if (wasWaiting && !waits) {
      // Only the head leaves the queue here (a promotion); anyone else leaving would move positions we do not know.
      if (this.head()?.userId !== enrollment.userId) throw new BatchReadExhausted(`user ${enrollment.userId} left the queue from behind its head`);
      this.promotions += 1;
      this.length -= 1;
      this.ranks.delete(enrollment.userId);
      if (this.length === 0) this.highestOrder = 0;
    } else if (!wasWaiting && waits) {
      if (enrollment.waitlistOrder === null || enrollment.waitlistOrder <= this.highestOrder) {
        throw new BatchReadExhausted(`user ${enrollment.userId} joined the queue before its end`);
      }
      this.length += 1;
      this.highestOrder = enrollment.waitlistOrder;
      this.ranks.set(enrollment.userId, this.length + this.promotions);
      this.queue.push(enrollment);
    } else if (wasWaiting && waits && before.waitlistOrder !== enrollment.waitlistOrder) {
      throw new BatchReadExhausted(`user ${enrollment.userId} moved within the queue`);
    }
    this.enrollments.set(enrollment.userId, enrollment);
    this.changes.set(enrollment.userId, enrollment);
  }

  async publish(...messages: OutgoingMessage[]): Promise<void> {
    this.outgoing.push(...messages);
  }

  private head(): Enrollment | null {
    const stillWaiting = (queued: Enrollment): boolean => {
      const current = this.enrollments.get(queued.userId);
      return current?.status === 'waitlisted' && current.waitlistOrder === queued.waitlistOrder;
    };
    const readHead = this.queue.slice(0, this.readHeads).find(stillWaiting);
    if (readHead) return this.enrollments.get(readHead.userId)!;
    // Stored entries the read did not bring are still waiting (only a head leaves the queue), ahead of any newcomer.
    if (this.unread > 0) throw new BatchReadExhausted(`the waitlist of event ${this.event.id} is longer than the heads read`);
    const joined = this.queue.slice(this.readHeads).find(stillWaiting);
    return joined ? this.enrollments.get(joined.userId)! : null;
  }
}

/**
 * The ledger of a request whose event is unknown: only its enrollment.rejected is published, nothing
 * is kept (there is no event to keep it under).
 */
export const unknownEventLedger = (outgoing: OutgoingMessage[]): EventLedger => {
  const unexpected = (): never => {
    throw new Error('a request for an unknown event reads or writes no enrollment');
  };
  return {
    firstWaitlisted: async () => unexpected(),
    waitlistTail: async () => unexpected(),
    waitlistPosition: async () => unexpected(),
    save: async () => unexpected(),
    publish: async (...messages) => {
      outgoing.push(...messages);
    },
  };
};
