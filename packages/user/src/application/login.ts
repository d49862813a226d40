import { err, ok, type Clock, type DomainError, type IdGenerator, type Result, type UnitOfWork } from '@conference/kernel';
import { UserErrors } from '../domain/errors.js';
import { openLoginSession } from '../domain/login-session.js';
import { PASSWORD_MAX_LENGTH, normalizePassword } from '../domain/user.js';
import type { AccessTokenIssuer } from '../ports/access-token-issuer.js';
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

/**
 * `POST /api/auth/login`: checks the password, opens a login session and answers
 * `{ accessToken, refreshToken, expiresIn, user }`.
 * Errors: AUTH.INVALID_CREDENTIALS (unauthorized) for an unknown email and a wrong password alike.
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
    options: Partial<AuthOptions> = {},
  ) {
    this.options = authOptions(options);
  }

  async execute(input: LoginInput): Promise<Result<AuthTokensView, DomainError>> {
    const password = normalizePassword(input.password);
    // No account has a longer password; refusing before hashing keeps huge inputs from costing CPU.
    if ([...password].length > PASSWORD_MAX_LENGTH) return err(UserErrors.invalidCredentials());

    const user = await this.uow.run(({ users }) => users.findByEmail(input.email));
    const matches = await this.hasher.verify(user?.passwordHash ?? (await dummyHash(this.hasher)), password);
    if (!user || !matches) return err(UserErrors.invalidCredentials());

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
}
