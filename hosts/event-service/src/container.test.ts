import { expect } from 'chai';
import { InMemoryEventStore } from '@conference/event/testing';
import { memoryConfig } from './config.js';
import { createContainer } from './container.js';
import { EventCatalog } from './tokens.js';

describe('event service container (memory profile)', () => {
  it('reads through the in-memory store\'s own catalog', () => {
    const container = createContainer(memoryConfig());
    expect(container.get<EventCatalog>(EventCatalog)).to.equal(container.get(InMemoryEventStore).catalog);
  });
});
