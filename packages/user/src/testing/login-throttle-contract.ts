import { expect } from 'chai';
import type { LoginThrottle, ThrottleLimit } from '../ports/login-throttle.js';
import { at } from './contract-helpers.js';

/** What a LoginThrottle adapter under test gives the suite. */
export interface LoginThrottleFixture {
  /** A throttle over fresh, empty state. */
  readonly throttle: LoginThrottle;
  /**
   * Another handle on the same state, as a second instance of the service would hold it (for
   * PostgreSQL another pool; in memory, where one process shares one map, the same object).
   */
  readonly sibling: LoginThrottle;
  close?(): Promise<void>;
}

const seconds = (minutes: number, plus: number): Date => new Date(at(minutes).getTime() + plus * 1000);

/** Every LoginThrottle adapter must pass this. */
export function loginThrottleContract(name: string, makeFixture: () => Promise<LoginThrottleFixture>): void {
  describe(`LoginThrottle contract: ${name}`, () => {
    let fixture: LoginThrottleFixture;
    beforeEach(async () => { fixture = await makeFixture(); });
    afterEach(async () => { await fixture.close?.(); });

    const limit: ThrottleLimit = { maxFailures: 3, windowSeconds: 600 };

    it('allows a key it has never seen, and one below the limit', async () => {
      const { throttle } = fixture;
      expect(await throttle.check('account:new@example.org', limit, at(0))).to.deep.equal({ allowed: true });
      await throttle.recordFailure('account:new@example.org', limit, at(0));
      await throttle.recordFailure('account:new@example.org', limit, at(1));
      expect(await throttle.check('account:new@example.org', limit, at(2))).to.deep.equal({ allowed: true });
    });

    it('refuses at the limit until the window opened by the first failure ends, saying how long', async () => {
      const { throttle } = fixture;
      for (const minute of [0, 1, 2]) await throttle.recordFailure('address:192.0.2.1', limit, at(minute));
      expect(await throttle.check('address:192.0.2.1', limit, at(2))).to.deep.equal({ allowed: false, retryAfterSeconds: 480 });
      expect(await throttle.check('address:192.0.2.1', limit, seconds(9, 59.5))).to.deep.equal({ allowed: false, retryAfterSeconds: 1 });
      expect(await throttle.check('address:192.0.2.1', limit, at(10))).to.deep.equal({ allowed: true });
    });

    it('opens a new window after the old one ended: old failures no longer count', async () => {
      const { throttle } = fixture;
      for (const minute of [0, 1, 2]) await throttle.recordFailure('account:a@example.org', limit, at(minute));
      await throttle.recordFailure('account:a@example.org', limit, at(11));
      await throttle.recordFailure('account:a@example.org', limit, at(12));
      expect(await throttle.check('account:a@example.org', limit, at(12))).to.deep.equal({ allowed: true });
      await throttle.recordFailure('account:a@example.org', limit, at(13));
      expect(await throttle.check('account:a@example.org', limit, at(13))).to.deep.equal({ allowed: false, retryAfterSeconds: 480 });
    });

    it('keeps keys apart', async () => {
      const { throttle } = fixture;
      for (const minute of [0, 0, 0]) await throttle.recordFailure('account:a@example.org', limit, at(minute));
      expect((await throttle.check('account:a@example.org', limit, at(1))).allowed).to.equal(false);
      expect(await throttle.check('account:b@example.org', limit, at(1))).to.deep.equal({ allowed: true });
      expect(await throttle.check('address:a@example.org', limit, at(1))).to.deep.equal({ allowed: true });
    });

    it('reset forgets the key\'s failures, and resetting an unknown key does nothing', async () => {
      const { throttle } = fixture;
      for (const minute of [0, 0, 0]) await throttle.recordFailure('account:a@example.org', limit, at(minute));
      await throttle.reset('account:a@example.org');
      await throttle.reset('account:never-seen@example.org');
      expect(await throttle.check('account:a@example.org', limit, at(1))).to.deep.equal({ allowed: true });
      await throttle.recordFailure('account:a@example.org', limit, at(1));
      await throttle.recordFailure('account:a@example.org', limit, at(1));
      expect(await throttle.check('account:a@example.org', limit, at(1))).to.deep.equal({ allowed: true });
    });

    it('counts every one of many concurrent failures', async () => {
      const { throttle } = fixture;
      const many: ThrottleLimit = { maxFailures: 40, windowSeconds: 600 };
      await Promise.all(Array.from({ length: 39 }, () => throttle.recordFailure('address:198.51.100.7', many, at(0))));
      expect(await throttle.check('address:198.51.100.7', many, at(1))).to.deep.equal({ allowed: true });
      await throttle.recordFailure('address:198.51.100.7', many, at(1));
      expect((await throttle.check('address:198.51.100.7', many, at(1))).allowed).to.equal(false);
    });

    it('takes keys of any text, including quotes, percent signs and long ones', async () => {
      const { throttle } = fixture;
      const odd = [`account:o'brien%_\\"@example.org`, `account:${'x'.repeat(300)}@example.org`, 'address:2001:db8::1'];
      for (const key of odd) {
        for (const minute of [0, 0, 0]) await throttle.recordFailure(key, limit, at(minute));
        expect((await throttle.check(key, limit, at(0))).allowed, key).to.equal(false);
      }
    });

    it('is shared by every handle on the same state (instances of one service)', async () => {
      const { throttle, sibling } = fixture;
      await throttle.recordFailure('account:shared@example.org', limit, at(0));
      await sibling.recordFailure('account:shared@example.org', limit, at(0));
      await throttle.recordFailure('account:shared@example.org', limit, at(0));
      expect((await sibling.check('account:shared@example.org', limit, at(1))).allowed).to.equal(false);
      await sibling.reset('account:shared@example.org');
      expect((await throttle.check('account:shared@example.org', limit, at(1))).allowed).to.equal(true);
    });
  });
}
