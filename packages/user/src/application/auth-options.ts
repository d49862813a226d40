/** Lifetimes of what login hands out. Hosts read them from configuration. */
export interface AuthOptions {
  /** How long an access token is accepted; short, because it cannot be revoked. Default 15 minutes. */
  readonly accessTokenTtlSeconds: number;
  /** How long a login session survives without a refresh; each refresh starts it again. Default 30 days. */
  readonly loginSessionTtlSeconds: number;
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  accessTokenTtlSeconds: 15 * 60,
  loginSessionTtlSeconds: 30 * 24 * 60 * 60,
};

export function authOptions(overrides: Partial<AuthOptions> = {}): AuthOptions {
  const options = { ...DEFAULT_AUTH_OPTIONS, ...overrides };
  for (const [key, value] of Object.entries(options)) {
    // A zero or fractional lifetime is a configuration mistake: fail at start-up, not at login.
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${key} must be a positive whole number of seconds, got ${value}`);
  }
  return options;
}
