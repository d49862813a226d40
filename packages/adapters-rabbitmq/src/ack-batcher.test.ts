import { expect } from 'chai';
import type { Message } from 'amqplib';
import { AckBatcher, type Acker } from './ack-batcher.js';

const message = (deliveryTag: number): Message => ({ content: Buffer.alloc(0), fields: { deliveryTag } as Message['fields'], properties: {} as Message['properties'] });
const turn = () => new Promise((resolve) => setImmediate(resolve));

function recorder(): Acker & { readonly acks: Array<[number, boolean]> } {
  const acks: Array<[number, boolean]> = [];
  return { acks, ack: (m, allUpTo = false) => { acks.push([m.fields.deliveryTag, allUpTo]); } };
}

describe('AckBatcher', () => {
  it('acks a burst finished in one turn with one multiple ack of the newest', async () => {
    const channel = recorder();
    const batcher = new AckBatcher(channel);
    const burst = [1, 2, 3, 4, 5].map(message);
    for (const m of burst) batcher.delivered(m);
    for (const m of [...burst].reverse()) batcher.ack(m);
    expect(channel.acks).to.deep.equal([]); // nothing until the end of the turn
    await turn();
    expect(channel.acks).to.deep.equal([[5, true]]);
  });

  it('never covers an unfinished delivery with a multiple ack; finished ones behind it are acked singly', async () => {
    const channel = recorder();
    const batcher = new AckBatcher(channel);
    const [one, two, three, four] = [1, 2, 3, 4].map(message);
    for (const m of [one!, two!, three!, four!]) batcher.delivered(m);
    batcher.ack(one!);
    batcher.ack(three!);
    batcher.ack(four!);
    await turn();
    expect(channel.acks).to.deep.equal([[1, true], [3, false], [4, false]]);
    batcher.ack(two!);
    await turn();
    expect(channel.acks.slice(3)).to.deep.equal([[2, true]]);
  });

  it('keeps a delivery that is never acked (left for redelivery) out of every later multiple ack', async () => {
    const channel = recorder();
    const batcher = new AckBatcher(channel);
    const [kept, ...rest] = [1, 2, 3].map(message);
    for (const m of [kept!, ...rest]) batcher.delivered(m);
    for (const m of rest) batcher.ack(m);
    batcher.flush();
    expect(channel.acks).to.deep.equal([[2, false], [3, false]]);
    expect(channel.acks.some(([tag, multiple]) => multiple && tag >= 1)).to.equal(false);
  });

  it('swallows an ack on a channel that closed (the broker redelivers; the inbox dedupes)', () => {
    const batcher = new AckBatcher({ ack: () => { throw new Error('Channel closed'); } });
    batcher.delivered(message(1));
    batcher.ack(message(1));
    expect(() => batcher.flush()).to.not.throw();
  });
});
