import { AsyncLocalStorage } from 'node:async_hooks';
import type { Correlation, CorrelationSource, MessageEnvelope } from '@conference/kernel';

/**
 * A CorrelationSource that follows the async work it was entered for. The consumer runs each
 * handler inside `run(...)`, so a MessageFactory built with this source stamps the messages the
 * handler publishes with the incoming correlation id (the request that started the chain) and the
 * incoming message id as causation, without threading either through every use case. An HTTP host
 * can enter it per request the same way (correlation = request id, causation = null).
 */
export class AsyncLocalCorrelation implements CorrelationSource {
  private readonly storage = new AsyncLocalStorage<Correlation>();

  current(): Correlation {
    return this.storage.getStore() ?? { correlationId: null, causationId: null };
  }

  run<T>(correlation: Correlation, work: () => T): T {
    return this.storage.run(correlation, work);
  }

  /** The correlation of the work a message causes: a chain keeps its id; a message without one starts a chain. */
  static causedBy(envelope: Pick<MessageEnvelope, 'id' | 'correlationId'>): Correlation {
    return { correlationId: envelope.correlationId ?? envelope.id, causationId: envelope.id };
  }
}

/** One per process is enough; hosts may also create and inject their own. */
export const messageCorrelation = new AsyncLocalCorrelation();
