import type { ChannelModel } from 'amqplib';
import type { AmqpConnection } from './connection.js';

/**
 * Re-attaches a consumer whose channel closed while the connection stayed up (a queue deleted by
 * hand, a channel-level error): one try a second until one succeeds, never two timers at once.
 * After a reconnect the connection attaches its consumers itself, so a try then finds nothing to do
 * (`unneeded`: attached already, or stopping) and stops there.
 */
export class Resubscriber {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly attach: (model: ChannelModel) => Promise<void>,
    private readonly unneeded: () => boolean,
    private readonly onFailure: (error: unknown) => void,
    private readonly delayMs = 1_000,
  ) {}

  schedule(): void {
    if (this.timer || this.unneeded()) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const model = this.connection.current();
      if (!model || this.unneeded()) return; // a reconnect will attach it
      this.attach(model).catch((error: unknown) => {
        this.onFailure(error);
        this.schedule();
      });
    }, this.delayMs);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
