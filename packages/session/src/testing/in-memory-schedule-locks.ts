import type { ScheduleLocks } from '../ports/schedule-locks.js';

/**
 * In memory, units of work run one at a time, so there is nothing to wait for. It records what
 * was asked, so tests can see that a use case locks what it books before it checks.
 */
export class InMemoryScheduleLocks implements ScheduleLocks {
  readonly acquired: string[][] = [];

  async acquire(keys: readonly string[]): Promise<void> {
    this.acquired.push([...new Set(keys)].sort());
  }
}
