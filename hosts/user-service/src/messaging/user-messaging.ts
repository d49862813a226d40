import type { DatabasePool } from 'slonik';
import { ServiceMessaging, messagingSettingsOf, type AmqpConnection, type MessagingSettings } from '@conference/adapters-rabbitmq';

/** Only what a relay uses: the user service has no consumers. */
export interface UserMessagingOptions extends Pick<MessagingSettings, 'exchange' | 'relay' | 'logger'> {
  readonly connection: AmqpConnection;
  /** The user database: its outbox is what the relay publishes. */
  readonly pool: DatabasePool;
}

/**
 * The user service's asynchronous side: it consumes nothing (DESIGN §1), so only the relay that
 * publishes its outbox. Call `kick()` after a request's unit of work committed a message, so it
 * goes out now rather than at the relay's next tick.
 */
export function createUserMessaging(options: UserMessagingOptions): ServiceMessaging {
  return new ServiceMessaging({
    ...messagingSettingsOf(options),
    name: 'user-service',
    connection: options.connection,
    outboxPool: options.pool,
  });
}
