import { expect } from 'chai';
import { GetEvent } from '@conference/event';
import { InMemoryEventStore, anEvent, uuid } from '@conference/event/testing';
import { memoryConfig } from './config.js';
import { createContainer } from './container.js';
import { EventCatalog, EventUnitOfWork } from './tokens.js';

describe('event service container (memory profile)', () => {
  it('reads through the in-memory store\'s own catalog', () => {
    const container = createContainer(memoryConfig());
    expect(container.get<EventCatalog>(EventCatalog)).to.equal(container.get(InMemoryEventStore).catalog);
  });

  // The embedded profile rebinds the unit of work to PostgreSQL and nothing else: reads must follow it.
  it('reads from the store a rebound unit of work writes to', async () => {
    const container = createContainer(memoryConfig());
    const elsewhere = new InMemoryEventStore();
    container.rebind<EventUnitOfWork>(EventUnitOfWork).toConstantValue(elsewhere.uow);
    await elsewhere.uow.run(({ events }) => events.insert(anEvent({ id: uuid(7) })));
    const found = await container.get(GetEvent).execute({ actor: null, eventId: uuid(7) });
    expect(found.ok && found.value.id).to.equal(uuid(7));
  });
});
