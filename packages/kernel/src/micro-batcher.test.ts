import { expect } from 'chai';
import { BatchedLookup, MicroBatcher, type ItemOutcome } from './micro-batcher.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('MicroBatcher', () => {
  it('puts what is submitted in one turn into one batch, each caller getting its own outcome', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((n) => ({ ok: true, value: n * 10 }));
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).to.deep.equal([10, 20, 30]);
    expect(batches).to.deep.equal([[1, 2, 3]]);
  });

  it('gathers what arrives while a batch runs into the next one, and keeps maxSize', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => { release = resolve; });
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push([...items]);
      if (batches.length === 1) await first;
      return items.map((n) => ({ ok: true, value: n }));
    }, { maxSize: 2 });
    const all = [batcher.submit(1)];
    await tick();
    all.push(batcher.submit(2), batcher.submit(3), batcher.submit(4));
    await tick();
    expect(batches).to.deep.equal([[1]]);
    release();
    await Promise.all(all);
    expect(batches).to.deep.equal([[1], [2, 3], [4]]);
  });

  it('with lingerMs, keeps a batch open for items of later turns, and sends a full one at once', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((n) => ({ ok: true, value: n }));
    }, { lingerMs: 40, maxSize: 3 });
    const first = batcher.submit(1);
    await tick();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = batcher.submit(2);
    await tick();
    expect(batches).to.deep.equal([]);
    await Promise.all([first, second]);
    expect(batches).to.deep.equal([[1, 2]]);
    // Lingering a minute would time the test out: a full batch must go at once.
    const patient = new MicroBatcher<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((n) => ({ ok: true, value: n }));
    }, { lingerMs: 60_000, maxSize: 3 });
    await Promise.all([4, 5, 6].map((n) => patient.submit(n)));
    expect(batches).to.deep.equal([[1, 2], [4, 5, 6]]);
    expect(() => new MicroBatcher(async () => [], { lingerMs: -1 })).to.throw(/lingerMs/);
  });

  it('runs up to `concurrency` batches at once', async () => {
    let running = 0;
    let most = 0;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
      return items.map((n) => ({ ok: true, value: n }));
    }, { maxSize: 1, concurrency: 2 });
    await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(most).to.equal(2);
  });

  it('rejects only the items whose outcome is an error', async () => {
    const batcher = new MicroBatcher<number, number>(async (items) =>
      items.map((n): ItemOutcome<number> => (n === 2 ? { ok: false, error: new Error('two') } : { ok: true, value: n })));
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(settled.map((s) => s.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).to.equal('two');
  });

  it('tries a batch that failed as a whole again item by item, so one poison item fails alone', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push([...items]);
      if (items.includes(2)) throw new Error('rolled back');
      return items.map((n) => ({ ok: true, value: n }));
    });
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(settled.map((s) => s.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches).to.deep.equal([[1, 2, 3], [1], [2], [3]]);
    expect(batcher.pending).to.equal(0);
  });

  it('treats a processor that returns the wrong number of outcomes as a failed batch', async () => {
    const batcher = new MicroBatcher<number, number>(async () => []);
    const settled = await Promise.allSettled([batcher.submit(1)]);
    expect(settled[0]!.status).to.equal('rejected');
    expect((settled[0] as PromiseRejectedResult).reason.message).to.match(/0 outcomes for 1 items/);
  });

  it('refuses sizes that cannot work', () => {
    expect(() => new MicroBatcher(async () => [], { maxSize: 0 })).to.throw(/maxSize/);
    expect(() => new MicroBatcher(async () => [], { concurrency: 0 })).to.throw(/concurrency/);
  });
});

describe('BatchedLookup', () => {
  it('reads the keys of one turn together, each distinct key once, and gives each caller its own answer and its own object', async () => {
    const reads: string[][] = [];
    const lookup = new BatchedLookup<string, { id: string; at: Date }>(async (keys) => {
      reads.push([...keys]);
      return new Map(keys.filter((k) => k !== 'unknown').map((k) => [k, { id: k, at: new Date(0) }]));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'unknown', 'a'].map((k) => lookup.find(k)));
    expect(reads).to.deep.equal([['a', 'b', 'unknown']]);
    expect(answers.map((a) => a?.id ?? null)).to.deep.equal(['a', 'b', 'a', null, 'a']);
    answers[0]!.at.setTime(5);
    expect(answers[2]!.at.getTime()).to.equal(0);
    expect(answers[4]!.at.getTime()).to.equal(0);
    expect(answers[2]).not.to.equal(answers[4]);
    expect(await lookup.find('b')).to.deep.equal({ id: 'b', at: new Date(0) });
    expect(reads).to.have.length(2);
  });

  it('fails each caller of a read that failed, and reads again for the next', async () => {
    let fail = true;
    const lookup = new BatchedLookup<number, number>(async (keys) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, k * 2]));
    });
    const failed = await Promise.allSettled([1, 2].map((k) => lookup.find(k)));
    expect(failed.map((f) => f.status)).to.deep.equal(['rejected', 'rejected']);
    fail = false;
    expect(await lookup.find(2)).to.equal(4);
  });
});
