import { Container, ContainerModule } from 'inversify';
import { MessageFactory as KernelMessageFactory, RandomIdGenerator, SystemClock, type UnitOfWork } from '@conference/kernel';
import { JwtAccessTokenIssuer, requestCorrelation } from '@conference/http-kit';
import { KickingUnitOfWork } from '@conference/adapters-rabbitmq';
import {
  CancelEnrollment,
  ChangeRole,
  EnsureAdmin,
  GetMe,
  GetUser,
  ListLoginSessions,
  ListUsers,
  Login,
  Logout,
  RefreshLogin,
  RegisterUser,
  RequestEnrollment,
  RevokeLoginSession,
  UpdateMe,
  authOptions,
  type UserScope,
} from '@conference/user';
import { InMemoryLoginThrottle, InMemoryUserStore, RandomRefreshTokens } from '@conference/user/testing';
import type { DatabasePool } from 'slonik';
import { Argon2PasswordHasher } from './adapters/argon2/argon2-password-hasher.js';
import { PostgresLoginThrottle } from './adapters/postgres/postgres-login-throttle.js';
import { createPostgresUserUnitOfWork, type PostgresUserScope } from './adapters/postgres/unit-of-work.js';
import type { UserServiceConfig as Config } from './config.js';
import { createAccessTokenKeys, type SigningLog } from './signing.js';
import {
  AccessTokenIssuer,
  AccessTokenSigner,
  AccessTokenVerifier,
  AuthOptions,
  Clock,
  IdGenerator,
  LoginThrottle,
  MessageFactory,
  PasswordHasher,
  RefreshTokens,
  UserDatabasePool,
  UserServiceConfig,
  UserUnitOfWork,
} from './tokens.js';

/**
 * The one place that knows which adapter serves which port. Use cases are plain classes (no
 * decorators in the domain): each is bound with a factory and the tokens of its constructor's
 * parameters, in order, as a singleton. Routes resolve them once at start-up.
 */
export const useCasesModule = new ContainerModule(({ bind }) => {
  bind(RegisterUser).toResolvedValue(
    (uow: UserUnitOfWork, hasher: PasswordHasher, ids: IdGenerator, clock: Clock, messages: MessageFactory) => new RegisterUser(uow, hasher, ids, clock, messages), [UserUnitOfWork, PasswordHasher, IdGenerator, Clock, MessageFactory]).inSingletonScope();
  bind(Login).toResolvedValue(
    (uow: UserUnitOfWork, hasher: PasswordHasher, access: AccessTokenIssuer, refresh: RefreshTokens, ids: IdGenerator, clock: Clock, throttle: LoginThrottle, options: AuthOptions) => new Login(uow, hasher, access, refresh, ids, clock, throttle, options),
    [UserUnitOfWork, PasswordHasher, AccessTokenIssuer, RefreshTokens, IdGenerator, Clock, LoginThrottle, AuthOptions],
  ).inSingletonScope();
  bind(RefreshLogin).toResolvedValue(
    (uow: UserUnitOfWork, access: AccessTokenIssuer, refresh: RefreshTokens, clock: Clock, options: AuthOptions) => new RefreshLogin(uow, access, refresh, clock, options), [UserUnitOfWork, AccessTokenIssuer, RefreshTokens, Clock, AuthOptions]).inSingletonScope();
  bind(Logout).toResolvedValue(
    (uow: UserUnitOfWork, refresh: RefreshTokens, clock: Clock) => new Logout(uow, refresh, clock), [UserUnitOfWork, RefreshTokens, Clock]).inSingletonScope();
  bind(ListLoginSessions).toResolvedValue(
    (uow: UserUnitOfWork, clock: Clock) => new ListLoginSessions(uow, clock), [UserUnitOfWork, Clock]).inSingletonScope();
  bind(RevokeLoginSession).toResolvedValue(
    (uow: UserUnitOfWork, clock: Clock) => new RevokeLoginSession(uow, clock), [UserUnitOfWork, Clock]).inSingletonScope();
  bind(GetMe).toResolvedValue(
    (uow: UserUnitOfWork) => new GetMe(uow), [UserUnitOfWork]).inSingletonScope();
  bind(UpdateMe).toResolvedValue(
    (uow: UserUnitOfWork, clock: Clock) => new UpdateMe(uow, clock), [UserUnitOfWork, Clock]).inSingletonScope();
  bind(ListUsers).toResolvedValue(
    (uow: UserUnitOfWork) => new ListUsers(uow), [UserUnitOfWork]).inSingletonScope();
  bind(GetUser).toResolvedValue(
    (uow: UserUnitOfWork) => new GetUser(uow), [UserUnitOfWork]).inSingletonScope();
  bind(ChangeRole).toResolvedValue(
    (uow: UserUnitOfWork, clock: Clock) => new ChangeRole(uow, clock), [UserUnitOfWork, Clock]).inSingletonScope();
  bind(EnsureAdmin).toResolvedValue(
    (uow: UserUnitOfWork, hasher: PasswordHasher, ids: IdGenerator, clock: Clock, messages: MessageFactory) => new EnsureAdmin(uow, hasher, ids, clock, messages), [UserUnitOfWork, PasswordHasher, IdGenerator, Clock, MessageFactory]).inSingletonScope();
  bind(RequestEnrollment).toResolvedValue(
    (uow: UserUnitOfWork, clock: Clock, messages: MessageFactory) => new RequestEnrollment(uow, clock, messages), [UserUnitOfWork, Clock, MessageFactory]).inSingletonScope();
  bind(CancelEnrollment).toResolvedValue(
    (uow: UserUnitOfWork, clock: Clock, messages: MessageFactory) => new CancelEnrollment(uow, clock, messages), [UserUnitOfWork, Clock, MessageFactory]).inSingletonScope();
});

/** The ports that are served the same way in every profile: credentials, ids, time, message envelopes. */
function sharedPortsModule(config: Config, keys: Awaited<ReturnType<typeof createAccessTokenKeys>>): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Config>(UserServiceConfig).toConstantValue(config);
    bind<AccessTokenSigner>(AccessTokenSigner).toConstantValue(keys.signer);
    bind<AccessTokenVerifier>(AccessTokenVerifier).toConstantValue(keys.verifier);
    bind<AccessTokenIssuer>(AccessTokenIssuer).toResolvedValue((signer: AccessTokenSigner) => new JwtAccessTokenIssuer(signer), [AccessTokenSigner]).inSingletonScope();
    // The memory profile hashes with argon2id too: at the configured cost it takes tens of
    // milliseconds, and the embedded profile built on it keeps accounts whose hashes must be real.
    bind<PasswordHasher>(PasswordHasher).toConstantValue(new Argon2PasswordHasher({
      memoryKiB: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: config.ARGON2_PARALLELISM,
    }));
    // Production-grade despite its folder: 32 random bytes from node:crypto, stored as SHA-256.
    bind<RefreshTokens>(RefreshTokens).toConstantValue(new RandomRefreshTokens());
    bind<IdGenerator>(IdGenerator).toConstantValue(new RandomIdGenerator());
    bind<Clock>(Clock).toConstantValue(new SystemClock());
    bind<MessageFactory>(MessageFactory).toResolvedValue(
      (ids: IdGenerator, clock: Clock) => new KernelMessageFactory('user-service', ids, clock, requestCorrelation),
      [IdGenerator, Clock],
    ).inSingletonScope();
    bind<AuthOptions>(AuthOptions).toConstantValue(authOptions({
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL,
      loginSessionTtlSeconds: config.LOGIN_SESSION_TTL,
      maxFailedLoginsPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailedLoginsPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      failedLoginWindowSeconds: config.LOGIN_FAILURE_WINDOW,
    }));
  });
}

/** PROFILE=memory: the package's in-memory store and throttle; one process, nothing persists. */
export const memoryProfileModule = new ContainerModule(({ bind }) => {
  bind(InMemoryUserStore).toConstantValue(new InMemoryUserStore());
  bind<UserUnitOfWork>(UserUnitOfWork).toResolvedValue((store: InMemoryUserStore): UnitOfWork<UserScope> => store.uow, [InMemoryUserStore]).inSingletonScope();
  bind<LoginThrottle>(LoginThrottle).toConstantValue(new InMemoryLoginThrottle());
});

/**
 * PROFILE=postgres: the user database through slonik; the throttle in the same database, shared by
 * every instance. The unit of work kicks the outbox relay once a write that added messages has
 * committed (main hands it the messaging with `kickAfterCommit`), so they leave at once.
 */
export function postgresProfileModule(pool: DatabasePool): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<UserDatabasePool>(UserDatabasePool).toConstantValue(pool);
    bind<KickingUnitOfWork<PostgresUserScope>>(KickingUnitOfWork).toConstantValue(new KickingUnitOfWork(createPostgresUserUnitOfWork(pool)));
    bind<UserUnitOfWork>(UserUnitOfWork).toService(KickingUnitOfWork);
    bind<LoginThrottle>(LoginThrottle).toConstantValue(new PostgresLoginThrottle(pool));
  });
}

export interface ContainerOptions {
  /** The user database; required with PROFILE=postgres (main creates it and runs the migrations first). */
  readonly pool?: DatabasePool;
  /** Where the warning about a generated signing key goes. */
  readonly log?: SigningLog;
  /** Loaded last: `rebind` ports here to replace adapters (tests, the embedded profile). */
  readonly overrides?: readonly ContainerModule[];
}

/** The container of one user-service process for `config.PROFILE`. */
export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const keys = await createAccessTokenKeys(config, options.log ?? { warn: () => undefined });
  const container = new Container();
  let profile: ContainerModule;
  if (config.PROFILE === 'postgres') {
    if (!options.pool) throw new Error('PROFILE=postgres needs the database pool (createContainer(config, { pool }))');
    profile = postgresProfileModule(options.pool);
  } else {
    profile = memoryProfileModule;
  }
  await container.load(sharedPortsModule(config, keys), profile, useCasesModule, ...(options.overrides ?? []));
  return container;
}
