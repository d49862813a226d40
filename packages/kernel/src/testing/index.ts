export { FixedClock } from './fixed-clock.js';
export { SequentialIdGenerator } from './sequential-ids.js';
export {
  InMemoryTransactions,
  InMemoryOutbox,
  InMemoryInbox,
  InMemoryUnitOfWork,
  emptyMessagingState,
  type MessagingState,
} from './in-memory-transactions.js';
export { seededRandom } from './seeded-random.js';
