import { err, ok, type Clock, type DomainError, type IdGenerator, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import { openLoginSession } from '../domain/login-session.js';
import { PASSWORD_MAX_LENGTH, emailKey, normalizePassword } from '../domain/user.js';
import type { AccessTokenIssuer } from '../ports/access-token-issuer.js';
import type { LoginThrottle, ThrottleLimit } from '../ports/login-throttle.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { RefreshTokens } from '../ports/refresh-tokens.js';
import type { UserScope } from '../ports/user-scope.js';
import { authOptions, type AuthOptions } from './auth-options.js';
import { authTokens } from './auth-tokens.js';
import { runAtomically } from './support.js';
import type { AuthTokensView } from './views.js';

export interface LoginInput {
  readonly email: string;
  readonly password: string;
  /** Labels for the session list, from the request; optional. */
  readonly userAgent?: string | null;
  /** The client's address: labels the session and is throttled. Absent (in-process callers): only the account is throttled. */
  readonly ip?: string | null;
}

/**
 * One dummy hash per hasher, made once: verifying against it when the email is unknown costs
 * what a real verification costs, so response time does not tell which addresses have accounts.
 */
const dummyHashes = new WeakMap<PasswordHasher, Promise<string>>();
function dummyHash(hasher: PasswordHasher): Promise<string> {
  let hash = dummyHashes.get(hasher);
  if (!hash) {
    hash = hasher.hash('not-a-password-anyone-has-0f3c9a');
    hash.catch(() => dummyHashes.delete(hasher));
    dummyHashes.set(hasher, hash);
  }
  return hash;
}

/** The throttle keys of an attempt with their limits: the account always, the address when known. */
function throttleKeys(input: LoginInput, options: AuthOptions): { key: string; limit: ThrottleLimit }[] {
  const windowSeconds = options.failedLoginWindowSeconds;
  // By the email typed, whether or not an account has it: throttling only real accounts would tell which exist.
  const keys = [{ key: `account:${emailKey(input.email)}`, limit: { maxFailures: options.maxFailedLoginsPerAccount, windowSeconds } }];
  const ip = input.ip?.trim();
  if (ip) keys.push({ key: `address:${ip}`, limit: { maxFailures: options.maxFailedLoginsPerAddress, windowSeconds } });
  return keys;
}

/**
 * `POST /api/auth/login`: checks the password, opens a login session and answers
 * `{ accessToken, refreshToken, expiresIn, user }`.
 *
 * Guessing is slowed per account and per client address (LoginThrottle): after too many failures
 * in the window, attempts are refused before any password is checked, whether the password is
 * right or not, until the window ends. A successful login clears the account's failures, not the
 * address's (else an attacker holding one account could clear their address between guesses).
 * Concurrent attempts that all passed the check are all counted, so a burst can exceed the limit
 * by at most the number of attempts in flight at once.
 *
 * Errors: AUTH.INVALID_CREDENTIALS (unauthorized) for an unknown email and a wrong password alike;
 * AUTH.TOO_MANY_ATTEMPTS (TooManyLoginAttemptsError, forbidden, with retryAfterSeconds).
 */
export class Login {
  private readonly options: AuthOptions;

  constructor(
    private readonly uow: UnitOfWork<UserScope>,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokens,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    options: Partial<AuthOptions> = {},
  ) {
    this.options = authOptions(options);
  }

  async execute(input: LoginInput): Promise<Result<AuthTokensView, DomainError>> {
    const keys = throttleKeys(input, this.options);
    const now = this.clock.now();
    const decisions = await Promise.all(keys.map(({ key, limit }) => this.throttle.check(key, limit, now)));
    const wait = Math.max(0, ...decisions.map((d) => (d.allowed ? 0 : d.retryAfterSeconds)));
    if (wait > 0) return err(UserErrors.tooManyLoginAttempts(wait));

    const user = await this.verified(input);
    if (!user) {
      await Promise.all(keys.map(({ key, limit }) => this.throttle.recordFailure(key, limit, this.clock.now())));
      return err(UserErrors.invalidCredentials());
    }
    await this.throttle.reset(keys[0]!.key);

    const refresh = this.refreshTokens.generate();
    return runAtomically(this.uow, async ({ users, loginSessions }) => {
      // Read again inside the transaction: the role and email in the token must be the stored ones.
      const current = await users.findById(user.id);
      if (!current) return err(UserErrors.invalidCredentials());
      const session = openLoginSession({
        id: this.ids.next(),
        userId: current.id,
        refreshTokenHash: refresh.hash,
        now: this.clock.now(),
        ttlMs: this.options.loginSessionTtlSeconds * 1000,
        userAgent: input.userAgent,
        ip: input.ip,
      });
      await loginSessions.insert(session);
      // Issued inside the unit of work: if signing fails, no session is left behind without its tokens.
      return ok(await authTokens(this.accessTokens, this.options, current, session, refresh.token));
    });
  }

  /** The account when the password is its own, else null (unknown email and wrong password alike). */
  private async verified(input: LoginInput) {
    const password = normalizePassword(input.password);
    // No account has a longer password; refusing before hashing keeps huge inputs from costing CPU.
    if ([...password].length > PASSWORD_MAX_LENGTH) return null;
    const user = await this.uow.run(({ users }) => users.findByEmail(input.email));
    const matches = await this.hasher.verify(user?.passwordHash ?? (await dummyHash(this.hasher)), password);
    return user && matches ? user : null;
  }
}
