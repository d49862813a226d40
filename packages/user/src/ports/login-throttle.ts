/** How many failed logins a key may have within a window before logins for it are refused. */
export interface ThrottleLimit {
  /** Failures allowed in one window; the next attempt is refused until the window ends. */
  readonly maxFailures: number;
  /** Length of the window, in seconds, counted from the first failure in it. */
  readonly windowSeconds: number;
}

/** Whether an attempt may go ahead, and if not, how long until it may. */
export type ThrottleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Port: counts failed logins per key (`account:<emailKey>`, `address:<ip>`) so guessing passwords
 * is slow. Windows are fixed: the first failure for a key (or the first after its window ended)
 * opens a window of `limit.windowSeconds`; once it holds `limit.maxFailures` failures, `check`
 * refuses until the window ends. Keys are independent. Every instance of a service must see the
 * same counts (a shared store), or an attacker spreads guesses over the instances.
 * `now` comes from the caller's clock, so the rule is testable and the same on every adapter.
 */
export interface LoginThrottle {
  /** Allowed, or refused with the whole seconds (≥ 1) until the key's window ends. */
  check(key: string, limit: ThrottleLimit, now: Date): Promise<ThrottleDecision>;
  /** Counts one failure for the key, opening a new window when none is open at `now`. Atomic under concurrency: no failure is lost. */
  recordFailure(key: string, limit: ThrottleLimit, now: Date): Promise<void>;
  /** Forgets the key's failures (after a successful login). Resetting an unknown key does nothing. */
  reset(key: string): Promise<void>;
}
