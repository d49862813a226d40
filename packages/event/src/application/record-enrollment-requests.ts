import {
  ok,
  type Clock,
  type Correlation,
  type DomainError,
  type ItemOutcome,
  type MessageFactory,
  type OutgoingMessage,
  type Result,
  type UnitOfWork,
} from '@conference/kernel';
import type { EnrollmentRequest } from '../domain/enrollment.js';
import { acceptsEnrollments, seatsLeft } from '../domain/event.js';
import type { EventScope } from '../ports/event-scope.js';
import { answerEnrollmentRequest } from './answer-enrollment-request.js';
import { BatchLedger, BatchReadExhausted, unknownEventLedger } from './batch-ledger.js';
import { DUPLICATE, ENROLLMENT_CONSUMER } from './consumers.js';
import { readEnrollmentRequest } from './enrollment-messages.js';
import { RecordEnrollmentRequest, type RecordEnrollmentRequestInput, type RecordEnrollmentRequestOutput } from './record-enrollment-request.js';

export interface RecordEnrollmentRequestsItem extends RecordEnrollmentRequestInput {
  /** The correlation of the work this message causes: what its outgoing messages are stamped with. */
  readonly correlation: Correlation;
}

export type RecordEnrollmentRequestsOutcome = ItemOutcome<Result<RecordEnrollmentRequestOutput, DomainError>>;

/**
 * How many waitlisted users of one event a batch reads ahead, at most: enough for every promotion a
 * batch can make in the common case (a promotion takes a free seat; free seats and a waiting queue at
 * once happen only after a capacity increase). Beyond it the batch goes message by message.
 */
const MAX_HEADS_READ = 100;

/**
 * Consumes a burst of user.enrolled in one unit of work with a fixed number of statements, whatever
 * its size: the inbox records every id at once, the batch's events are locked in one statement (in
 * ascending id order, so batches on different instances cannot deadlock), their enrollments and
 * queues are read in one, and what changed is written back in one statement per table.
 *
 * Each item's outcome is exactly RecordEnrollmentRequest's had the items been handled one after
 * another in the given order: the same rules (answerEnrollmentRequest, SeatAllocation) run on an
 * in-memory view of each event (BatchLedger). Each outgoing message carries its own incoming
 * message's correlation.
 *
 * Outcomes, in the order of the items: `{ ok: true, value: result }` with RecordEnrollmentRequest's
 * result (a malformed item is `err(ENROLLMENT.MALFORMED_MESSAGE)` for that item only). A failure of
 * the whole unit of work (the database, a stale event version) is thrown: nothing of the batch took
 * effect. When the read does not cover what the batch needs (see BatchReadExhausted) the batch is
 * rolled back and handled message by message, each in its own unit of work; an item that then fails
 * is `{ ok: false, error }`.
 */
export class RecordEnrollmentRequests {
  constructor(
    private readonly uow: UnitOfWork<EventScope>,
    private readonly messages: MessageFactory,
    private readonly clock: Clock,
  ) {}

  async execute(items: readonly RecordEnrollmentRequestsItem[]): Promise<RecordEnrollmentRequestsOutcome[]> {
    const read = items.map((item) => readEnrollmentRequest(item.data));
    if (!read.some((r) => r.ok)) return read.map((r) => ({ ok: true, value: r as Result<never, DomainError> }));
    try {
      const results = await this.uow.run((scope) => this.inOneUnitOfWork(scope, items, read));
      return results.map((value) => ({ ok: true, value }));
    } catch (error) {
      if (!(error instanceof BatchReadExhausted)) throw error;
      return this.oneByOne(items);
    }
  }

  private async inOneUnitOfWork(
    scope: EventScope,
    items: readonly RecordEnrollmentRequestsItem[],
    read: readonly Result<{ readonly eventId: string | null; readonly request: EnrollmentRequest }, DomainError>[],
  ): Promise<Result<RecordEnrollmentRequestOutput, DomainError>[]> {
    const results: Result<RecordEnrollmentRequestOutput, DomainError>[] = read.map((r) => (r.ok ? ok(DUPLICATE) : r));
    const fresh = await scope.inbox.recordMany(
      ENROLLMENT_CONSUMER,
      items.filter((_, i) => read[i]!.ok).map((item) => item.messageId),
    );
    // A message id given twice is handled the first time and a duplicate the second, as one by one.
    const claimed = new Set<string>();
    const todo: { index: number; eventId: string | null; request: EnrollmentRequest }[] = [];
    read.forEach((r, index) => {
      const { messageId } = items[index]!;
      if (!r.ok || !fresh.has(messageId) || claimed.has(messageId)) return;
      claimed.add(messageId);
      todo.push({ index, ...r.value });
    });
    if (todo.length === 0) return results;

    const outgoing: OutgoingMessage[] = [];
    const ledgers = await this.lockAndRead(scope, todo, outgoing);
    for (const { index, eventId, request } of todo) {
      const now = this.clock.now();
      const ledger = eventId === null ? undefined : ledgers.get(eventId);
      const messages = this.messages.withCorrelation(items[index]!.correlation);
      const answered = await answerEnrollmentRequest(
        ledger ?? unknownEventLedger(outgoing),
        messages,
        request,
        ledger?.event ?? null,
        ledger?.enrollmentOf(request.userId) ?? null,
        now,
      );
      if (ledger && answered.event) ledger.event = answered.event;
      results[index] = ok({ duplicate: false, ...answered.answer });
    }

    const all = [...ledgers.values()];
    const changed = all.flatMap((ledger) => ledger.changed());
    if (changed.length > 0) await scope.enrollments.saveMany(changed);
    // Placing changes only the seat count; an event whose count came back to where it was needs no write.
    const updates = all
      .filter((ledger) => ledger.event.seatsTaken !== ledger.initial.seatsTaken)
      .map((ledger) => ({ event: ledger.event, expectedVersion: ledger.initial.version }));
    if (updates.length > 0) await scope.events.updateMany(updates);
    if (outgoing.length > 0) await scope.outbox.add(...outgoing);
    return results;
  }

  /** Locks the batch's events and reads what their requests need: one ledger per event that exists. */
  private async lockAndRead(
    scope: EventScope,
    todo: readonly { eventId: string | null; request: EnrollmentRequest }[],
    outgoing: OutgoingMessage[],
  ): Promise<Map<string, BatchLedger>> {
    const eventIds = [...new Set(todo.flatMap(({ eventId }) => (eventId === null ? [] : [eventId])))];
    if (eventIds.length === 0) return new Map();
    const events = await scope.events.findManyForUpdate(eventIds);
    if (events.length === 0) return new Map();
    const found = new Set(events.map((event) => event.id));
    const pairKeys = new Set<string>();
    const pairs = todo.flatMap(({ eventId, request }) => {
      const key = `${eventId}/${request.userId}`;
      if (eventId === null || !found.has(eventId) || pairKeys.has(key)) return [];
      pairKeys.add(key);
      return [{ eventId, userId: request.userId }];
    });
    const now = this.clock.now();
    // Only a free seat lets a waitlisted user in (a promotion), so that many heads are all the batch can serve.
    const queues = events.map((event) => ({ eventId: event.id, heads: acceptsEnrollments(event, now) ? Math.min(seatsLeft(event), MAX_HEADS_READ) : 0 }));
    const read = await scope.enrollments.findManyWithQueues(pairs, queues);
    const ledgers = new Map<string, BatchLedger>();
    for (const event of events) {
      const queue = read.queues.find((q) => q.eventId === event.id);
      if (!queue) throw new Error(`the enrollment repository read no queue for event ${event.id}`);
      const enrollments = read.enrollments.filter(({ enrollment }) => enrollment.eventId === event.id);
      ledgers.set(event.id, new BatchLedger(event, queue, enrollments, outgoing));
    }
    return ledgers;
  }

  /** The fallback: each item on its own, in order, as RecordEnrollmentRequest handles it. */
  private async oneByOne(items: readonly RecordEnrollmentRequestsItem[]): Promise<RecordEnrollmentRequestsOutcome[]> {
    const outcomes: RecordEnrollmentRequestsOutcome[] = [];
    for (const item of items) {
      const single = new RecordEnrollmentRequest(this.uow, this.messages.withCorrelation(item.correlation), this.clock);
      try {
        outcomes.push({ ok: true, value: await single.execute(item) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }
}
