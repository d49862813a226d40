import type { Message } from 'amqplib';

/** The part of an amqplib channel that acks. */
export interface Acker {
  ack(message: Message, allUpTo?: boolean): void;
}

/**
 * Acks a channel's deliveries in bursts. A consumer with a prefetch of N finishes messages a few
 * at a time; instead of one basic.ack frame per message, the acks of one turn of the event loop
 * go out together: one `multiple` ack for the longest run of finished deliveries from the oldest
 * unacked one, and single acks for finished ones behind an unfinished delivery (so they do not
 * hold prefetch slots while it runs).
 *
 * A multiple ack covers every unacked delivery up to its tag, so a delivery that is deliberately
 * left unacked (its move to the retry or dead-letter queue was not confirmed; it must come back
 * when the channel closes) is never covered: it simply never becomes ready, and stays the oldest.
 *
 * One per channel: delivery tags are per channel and increase in delivery order. An ack that has
 * not gone out when the channel closes is lost with it; the broker redelivers and the inbox dedupes.
 */
export class AckBatcher {
  /** Unacked deliveries in delivery order. */
  private readonly unacked: Message[] = [];
  private readonly ready = new Set<number>();
  private scheduled = false;

  constructor(private readonly channel: Acker) {}

  delivered(message: Message): void {
    this.unacked.push(message);
  }

  /** Done with the message (handled, or moved to retry/dead letters): acked at the end of this turn. */
  ack(message: Message): void {
    this.ready.add(message.fields.deliveryTag);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends what is ready now (also before closing the channel). */
  flush(): void {
    this.scheduled = false;
    if (this.ready.size === 0) return;
    let last: Message | undefined;
    while (this.unacked.length > 0 && this.ready.has(this.unacked[0]!.fields.deliveryTag)) {
      last = this.unacked.shift()!;
      this.ready.delete(last.fields.deliveryTag);
    }
    const behind = this.ready.size === 0 ? [] : this.unacked.filter((message) => this.ready.has(message.fields.deliveryTag));
    this.ready.clear();
    for (const message of behind) this.unacked.splice(this.unacked.indexOf(message), 1);
    try {
      if (last) this.channel.ack(last, true);
      for (const message of behind) this.channel.ack(message, false);
    } catch {
      // The channel closed meanwhile: the broker redelivers what was not acked, and the inbox dedupes.
    }
  }
}
