import { expect } from 'chai';
import { MessageFactory, type Correlation } from './messages.js';
import { FixedClock } from './testing/fixed-clock.js';
import { SequentialIdGenerator } from './testing/sequential-ids.js';

describe('MessageFactory', () => {
  it('stamps the correlation its source holds when each message is created', () => {
    let current: Correlation = { correlationId: 'a', causationId: 'm1' };
    const messages = new MessageFactory('svc', new SequentialIdGenerator(), new FixedClock(), { current: () => current });
    expect(messages.create('x.happened', 'agg', {}).envelope).to.include({ correlationId: 'a', causationId: 'm1', source: 'svc' });
    current = { correlationId: 'b', causationId: 'm2' };
    expect(messages.create('x.happened', 'agg', {}).envelope).to.include({ correlationId: 'b', causationId: 'm2' });
  });

  it('withCorrelation: the same factory (ids, clock, source) with a fixed correlation, whatever the source holds', () => {
    const ids = new SequentialIdGenerator();
    const messages = new MessageFactory('svc', ids, new FixedClock('2027-01-01T00:00:00Z'), { current: () => ({ correlationId: 'ambient', causationId: 'ambient' }) });
    const fixed = messages.withCorrelation({ correlationId: 'chain', causationId: 'incoming' });
    const first = fixed.create('x.happened', 'agg', { n: 1 });
    const second = messages.create('x.happened', 'agg', { n: 2 });
    expect(first.envelope).to.include({ correlationId: 'chain', causationId: 'incoming', source: 'svc', occurredAt: '2027-01-01T00:00:00.000Z' });
    expect(second.envelope).to.include({ correlationId: 'ambient', causationId: 'ambient' });
    // One id sequence for both: a batch's messages never collide with the factory's own.
    expect([first.envelope.id, second.envelope.id]).to.deep.equal(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
  });
});
