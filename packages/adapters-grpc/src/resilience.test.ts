import { expect } from 'chai';
import { status as Status } from '@grpc/grpc-js';
import { PeerCallError, Resilience } from './resilience.js';

const failWith = (code: Status) => Promise.reject(Object.assign(new Error(Status[code]), { code, details: Status[code] }));
/** An attempt that behaves like a hung peer: nothing until its deadline, then DEADLINE_EXCEEDED. */
const hang = (deadline: Date) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(Object.assign(new Error('deadline'), { code: Status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' })), Math.max(0, deadline.getTime() - Date.now())));

async function failure(promise: Promise<unknown>): Promise<PeerCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PeerCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('@grpc resilience', () => {
  it('retries UNAVAILABLE and answers the first success', async () => {
    const resilience = new Resilience({ retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 } });
    let calls = 0;
    const answer = await resilience.execute(() => (++calls < 3 ? failWith(Status.UNAVAILABLE) : Promise.resolve('ok')));
    expect(answer).to.equal('ok');
    expect(calls).to.equal(3);
  });

  it('does not retry an answer (NOT_FOUND, INVALID_ARGUMENT), and such answers never open the circuit', async () => {
    const resilience = new Resilience({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000 } });
    for (const code of [Status.NOT_FOUND, Status.INVALID_ARGUMENT, Status.NOT_FOUND, Status.FAILED_PRECONDITION]) {
      let calls = 0;
      const error = await failure(resilience.execute(() => { calls++; return failWith(code); }));
      expect(error).to.include({ code, circuitOpen: false, attempts: 1 });
      expect(calls).to.equal(1);
    }
    expect(resilience.circuit).to.equal('closed');
  });

  it('gives up after maxAttempts with the last status', async () => {
    const resilience = new Resilience({ retry: { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 1 }, breaker: { consecutiveFailures: 100 } });
    let calls = 0;
    const error = await failure(resilience.execute(() => { calls++; return failWith(Status.UNAVAILABLE); }));
    expect(error).to.include({ code: Status.UNAVAILABLE, attempts: 4, circuitOpen: false });
    expect(calls).to.equal(4);
  });

  it('never outlives the deadline, even with hung attempts and retries left', async () => {
    const resilience = new Resilience({ deadlineMs: 300, attemptTimeoutMs: 120, retry: { maxAttempts: 10, initialDelayMs: 20, maxDelayMs: 40 }, breaker: { consecutiveFailures: 100 } });
    const deadlines: number[] = [];
    const started = Date.now();
    const error = await failure(resilience.execute((deadline) => { deadlines.push(deadline.getTime()); return hang(deadline); }));
    const elapsed = Date.now() - started;
    expect(error.code).to.equal(Status.DEADLINE_EXCEEDED);
    expect(elapsed).to.be.at.least(250).and.below(300 + 150);
    expect(deadlines.length).to.be.at.least(2, 'a hung attempt leaves time for another');
    for (const deadline of deadlines) expect(deadline).to.be.at.most(started + 300 + 5);
  });

  it('backs off with full jitter below a doubling cap', () => {
    const low = new Resilience({ retry: { initialDelayMs: 10, maxDelayMs: 70 } }, { random: () => 0 });
    const high = new Resilience({ retry: { initialDelayMs: 10, maxDelayMs: 70 } }, { random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map((n) => low.backoffMs(n))).to.deep.equal([0, 0, 0, 0, 0]);
    expect([1, 2, 3, 4, 5].map((n) => high.backoffMs(n))).to.deep.equal([9, 19, 39, 69, 69]);
  });

  it('does not sleep past the deadline: a backoff that would leave no time ends the call', async () => {
    const slept: number[] = [];
    const resilience = new Resilience(
      { deadlineMs: 100, retry: { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 1000 } },
      { random: () => 0.5, sleep: async (ms) => { slept.push(ms); } },
    );
    const error = await failure(resilience.execute(() => failWith(Status.UNAVAILABLE)));
    expect(error).to.include({ code: Status.UNAVAILABLE, attempts: 1 });
    expect(slept).to.deep.equal([]);
  });

  it('opens after consecutive failures, fails fast while open, half-opens to probe and closes on success', async () => {
    const resilience = new Resilience({ retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 150 } });
    let calls = 0;
    const down = () => { calls++; return failWith(Status.UNAVAILABLE); };
    for (let i = 0; i < 3; i++) await failure(resilience.execute(down));
    expect(resilience.circuit).to.equal('open');
    expect(calls).to.equal(3);

    const started = process.hrtime.bigint();
    const fast = await failure(resilience.execute(down));
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    expect(fast).to.include({ code: Status.UNAVAILABLE, circuitOpen: true, attempts: 0 });
    expect(calls).to.equal(3, 'an open circuit does not call the peer');
    expect(micros).to.be.below(20_000);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await resilience.execute(() => { calls++; return Promise.resolve('back'); })).to.equal('back');
    expect(resilience.circuit).to.equal('closed');
  });

  it('a failed probe opens the circuit again', async () => {
    const resilience = new Resilience({ retry: { maxAttempts: 1 }, breaker: { consecutiveFailures: 1, halfOpenAfterMs: 50 } });
    await failure(resilience.execute(() => failWith(Status.UNAVAILABLE)));
    await new Promise((resolve) => setTimeout(resolve, 80));
    await failure(resilience.execute(() => failWith(Status.DEADLINE_EXCEEDED)));
    expect(resilience.circuit).to.equal('open');
    expect(await failure(resilience.execute(() => Promise.resolve(1)))).to.include({ circuitOpen: true });
  });

  it('stops retrying as soon as the circuit opens mid-call', async () => {
    const resilience = new Resilience({ retry: { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 1 }, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000 } });
    let calls = 0;
    const error = await failure(resilience.execute(() => { calls++; return failWith(Status.UNAVAILABLE); }));
    expect(error).to.include({ code: Status.UNAVAILABLE, circuitOpen: true, attempts: 2 });
    expect(calls).to.equal(2);
  });

  it('rejects settings that would make no sense', () => {
    expect(() => new Resilience({ deadlineMs: 0 })).to.throw(RangeError);
    expect(() => new Resilience({ breaker: { halfOpenAfterMs: -1 } })).to.throw(RangeError);
  });
});
