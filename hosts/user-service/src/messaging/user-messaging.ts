import type { DatabasePool } from 'slonik';
import type { Logger } from '@conference/kernel';
import { ServiceMessaging, type AmqpConnection, type OutboxRelayOptions } from '@conference/adapters-rabbitmq';

export interface UserMessagingOptions {
  readonly connection: AmqpConnection;
  /** The user database: its outbox is what the relay publishes. */
  readonly pool: DatabasePool;
  readonly logger?: Logger;
  readonly exchange?: string;
  readonly relay?: Omit<OutboxRelayOptions, 'logger' | 'name'>;
}

/**
 * The user service's asynchronous side: it consumes nothing (DESIGN §1), so only the relay that
 * publishes its outbox. Call `kick()` after a request's unit of work committed a message, so it
 * goes out now rather than at the relay's next tick.
 */
export function createUserMessaging(options: UserMessagingOptions): ServiceMessaging {
  return new ServiceMessaging({
    name: 'user-service',
    connection: options.connection,
    outboxPool: options.pool,
    ...(options.exchange ? { exchange: options.exchange } : {}),
    ...(options.relay ? { relay: options.relay } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
