/** What became of one item of a batch. */
export type ItemOutcome<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

/**
 * Handles a batch in one go and says what became of each item, in the order given. It throws only
 * when the batch as a whole failed (nothing of it took effect), e.g. the transaction rolled back.
 */
export type BatchProcessor<I, O> = (items: readonly I[]) => Promise<readonly ItemOutcome<O>[]>;

export interface MicroBatcherOptions {
  /** Most items in one batch (default 100). */
  readonly maxSize?: number;
  /** Batches being processed at once (default 1): items that arrive meanwhile wait and form the next batch. */
  readonly concurrency?: number;
  /**
   * How long the first item of a batch waits for others (default 0: until the end of its turn of
   * the event loop). For work nobody waits on — an audit entry, an email — a few milliseconds
   * turn a trickle of one-item statements into a few larger ones; a full batch goes at once.
   */
  readonly lingerMs?: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for callers that each hold one item: everything submitted within one turn of the
 * event loop — and, while a batch is being processed, everything submitted until it is done — goes
 * to the processor as one batch. Each caller gets its own item's outcome.
 *
 * Why: a message consumer with many deliveries in flight otherwise runs one transaction per
 * message; the statements and round trips per transaction, not the work per message, were what the
 * profile showed (bench/RESULTS.md). Under light load a batch is one item and nothing waits longer
 * than the turn it was submitted in.
 *
 * A batch that fails as a whole is tried again one item at a time, so one item that makes the batch
 * fail fails alone and the others go through.
 */
export class MicroBatcher<I, O> {
  private readonly maxSize: number;
  private readonly concurrency: number;
  private readonly lingerMs: number;
  private queue: Pending<I, O>[] = [];
  private running = 0;
  /** Cancels the drain that is scheduled, if one is. */
  private scheduled: (() => void) | null = null;

  constructor(
    private readonly processor: BatchProcessor<I, O>,
    options: MicroBatcherOptions = {},
  ) {
    this.maxSize = options.maxSize ?? 100;
    this.concurrency = options.concurrency ?? 1;
    this.lingerMs = options.lingerMs ?? 0;
    if (!(this.lingerMs >= 0 && Number.isFinite(this.lingerMs))) throw new Error('lingerMs must be a finite number of milliseconds, 0 or more');
    if (!Number.isInteger(this.maxSize) || this.maxSize < 1) throw new Error('maxSize must be a positive integer');
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new Error('concurrency must be a positive integer');
  }

  /** Items waiting for a batch or in one being processed. */
  get pending(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.concurrency || this.queue.length === 0) return;
    if (this.scheduled !== null) {
      // A full batch does not linger.
      if (this.lingerMs > 0 && this.queue.length >= this.maxSize) {
        this.scheduled();
        this.scheduled = null;
        this.drain();
      }
      return;
    }
    const run = () => {
      this.scheduled = null;
      this.drain();
    };
    if (this.lingerMs > 0 && this.queue.length < this.maxSize) {
      const timer = setTimeout(run, this.lingerMs);
      this.scheduled = () => clearTimeout(timer);
    } else {
      // After the I/O callbacks of this turn: every delivery of one socket read joins the same batch.
      const immediate = setImmediate(run);
      this.scheduled = () => clearImmediate(immediate);
    }
  }

  private drain(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxSize);
      this.running += 1;
      void this.process(batch).finally(() => {
        this.running -= 1;
        this.schedule();
      });
    }
  }

  private async process(batch: readonly Pending<I, O>[]): Promise<void> {
    let outcomes: readonly ItemOutcome<O>[];
    try {
      outcomes = await this.processor(batch.map((p) => p.item));
      if (outcomes.length !== batch.length) throw new Error(`the batch processor returned ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const pending of batch) await this.process([pending]);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i]!.resolve(outcome.value);
      else batch[i]!.reject(outcome.error);
    });
  }
}

/**
 * Reads by key, group-committed (MicroBatcher): the keys asked for in one turn of the event loop,
 * and while a read is running, are read together, each distinct key once. Each caller gets the
 * value of its own key, or null when there is none; a caller whose key an earlier caller of the
 * same batch also asked for gets a copy (structuredClone), so no two callers share an object that
 * one of them might change.
 *
 * Why: a hot read by id (GET /api/events/:id, /api/sessions/:id) costs mostly its round trip —
 * the write that wakes a database backend and the read of its answer — not the row; under load,
 * one statement for the reads of a turn took the host's CPU per request from 0.25 ms to 0.13 ms
 * (bench/RESULTS.md). Under light load a read is one key, sent at the end of its turn.
 */
export class BatchedLookup<K, V> {
  private readonly batcher: MicroBatcher<K, V | null>;

  constructor(readMany: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>, options: MicroBatcherOptions = {}) {
    this.batcher = new MicroBatcher<K, V | null>(async (keys) => {
      const found = await readMany([...new Set(keys)]);
      const handedOut = new Set<K>();
      return keys.map((key): ItemOutcome<V | null> => {
        const value = found.get(key);
        if (value === undefined) return { ok: true, value: null };
        if (handedOut.has(key)) return { ok: true, value: structuredClone(value) };
        handedOut.add(key);
        return { ok: true, value };
      });
    }, options);
  }

  find(key: K): Promise<V | null> {
    return this.batcher.submit(key);
  }
}
