/** Lifetimes of what login hands out. Hosts read them from configuration. */
export interface AuthOptions {
  /** How long an access token is accepted; short, because it cannot be revoked. Default 15 minutes. */
  readonly accessTokenTtlSeconds: number;
  /** How long a login session survives without a refresh; each refresh starts it again. Default 30 days. */
  readonly loginSessionTtlSeconds: number;
  /** Failed logins for one email (existing or not) within the window before its logins are refused. Default 5. */
  readonly maxFailedLoginsPerAccount: number;
  /**
   * Failed logins from one client address within the window before its logins are refused.
   * Default 20: higher than per account, since many people may share one address (a venue's wifi).
   */
  readonly maxFailedLoginsPerAddress: number;
  /** The window the failures above are counted in, from the first failure. Default 15 minutes. */
  readonly failedLoginWindowSeconds: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  accessTokenTtlSeconds: 15 * 60,
  loginSessionTtlSeconds: 30 * 24 * 60 * 60,
  maxFailedLoginsPerAccount: 5,
  maxFailedLoginsPerAddress: 20,
  failedLoginWindowSeconds: 15 * 60,
};

export function authOptions(overrides: Partial<AuthOptions> = {}): AuthOptions {
  const options = { ...DEFAULT_AUTH_OPTIONS, ...overrides };
  for (const [key, value] of Object.entries(options)) {
    // A zero or fractional lifetime is a configuration mistake: fail at start-up, not at login.
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${key} must be a positive whole number, got ${value}`);
  }
  return options;
}
