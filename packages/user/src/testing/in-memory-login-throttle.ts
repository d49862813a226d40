import type { LoginThrottle, ThrottleDecision, ThrottleLimit } from '../ports/login-throttle.js';

interface Window {
  readonly startedAt: number;
  readonly failures: number;
}

/** Seconds from `now` until a window that started at `startedAt` ends, at least 1. */
export const secondsLeft = (startedAt: number, limit: ThrottleLimit, now: Date): number =>
  Math.max(1, Math.ceil((startedAt + limit.windowSeconds * 1000 - now.getTime()) / 1000));

/**
 * Failed-login counts in this process's memory: right for tests and for a single process (the
 * embedded profile). Several instances each counting alone would multiply the allowed guesses,
 * so they need a shared adapter (PostgreSQL).
 */
export class InMemoryLoginThrottle implements LoginThrottle {
  private readonly windows = new Map<string, Window>();

  async check(key: string, limit: ThrottleLimit, now: Date): Promise<ThrottleDecision> {
    const window = this.open(key, limit, now);
    if (!window || window.failures < limit.maxFailures) return { allowed: true };
    return { allowed: false, retryAfterSeconds: secondsLeft(window.startedAt, limit, now) };
  }

  async recordFailure(key: string, limit: ThrottleLimit, now: Date): Promise<void> {
    const window = this.open(key, limit, now);
    this.windows.set(key, window ? { ...window, failures: window.failures + 1 } : { startedAt: now.getTime(), failures: 1 });
    this.forgetClosed(now, limit);
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /** The key's window if it is still open at `now`. */
  private open(key: string, limit: ThrottleLimit, now: Date): Window | undefined {
    const window = this.windows.get(key);
    return window && now.getTime() < window.startedAt + limit.windowSeconds * 1000 ? window : undefined;
  }

  /** Bounded memory under a flood of distinct keys: windows long closed are dropped now and then. */
  private forgetClosed(now: Date, limit: ThrottleLimit): void {
    if (this.windows.size < 10_000) return;
    for (const [key, window] of this.windows) {
      if (now.getTime() >= window.startedAt + limit.windowSeconds * 1000) this.windows.delete(key);
    }
  }
}
