import { InMemoryInbox, InMemoryOutbox, InMemoryTransactions, InMemoryUnitOfWork, emptyMessagingState } from './in-memory-transactions.js';
import { inboxContract, outboxContract, type MessagingFixture } from './messaging-contracts.js';

const makeFixture = async (): Promise<MessagingFixture> => {
  const transactions = new InMemoryTransactions(emptyMessagingState());
  const uow = new InMemoryUnitOfWork(transactions, (state) => ({
    outbox: new InMemoryOutbox(state),
    inbox: new InMemoryInbox(state),
  }));
  return { uow, pending: async () => transactions.state.outbox };
};

outboxContract('in-memory', makeFixture);
inboxContract('in-memory', makeFixture);
