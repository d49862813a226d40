import type { Clock as ClockPort, IdGenerator as IdGeneratorPort, MessageFactory as MessageFactoryClass, UnitOfWork } from '@conference/kernel';
import type { JwtSigner, JwtVerifier } from '@conference/http-kit';
import type {
  AccessTokenIssuer as AccessTokenIssuerPort,
  AuthOptions as AuthOptionsValue,
  LoginThrottle as LoginThrottlePort,
  PasswordHasher as PasswordHasherPort,
  RefreshTokens as RefreshTokensPort,
  UserScope,
} from '@conference/user';
import type { DatabasePool } from 'slonik';
import type { UserServiceConfig as UserServiceConfigValue } from './config.js';

/**
 * The Inversify tokens of the user service: each Symbol shares its name with the type it stands
 * for (Theia's convention), so `container.get<PasswordHasher>(PasswordHasher)` reads as one thing.
 * Use-case classes are their own tokens.
 */

export const UserUnitOfWork = Symbol.for('UserUnitOfWork');
export type UserUnitOfWork = UnitOfWork<UserScope>;

export const PasswordHasher = Symbol.for('PasswordHasher');
export type PasswordHasher = PasswordHasherPort;

export const AccessTokenIssuer = Symbol.for('AccessTokenIssuer');
export type AccessTokenIssuer = AccessTokenIssuerPort;

export const RefreshTokens = Symbol.for('RefreshTokens');
export type RefreshTokens = RefreshTokensPort;

export const LoginThrottle = Symbol.for('LoginThrottle');
export type LoginThrottle = LoginThrottlePort;

export const IdGenerator = Symbol.for('IdGenerator');
export type IdGenerator = IdGeneratorPort;

export const Clock = Symbol.for('Clock');
export type Clock = ClockPort;

export const MessageFactory = Symbol.for('MessageFactory');
export type MessageFactory = MessageFactoryClass;

export const AuthOptions = Symbol.for('AuthOptions');
export type AuthOptions = AuthOptionsValue;

/** Signs access tokens and publishes the JWKS (only the user service has one). */
export const AccessTokenSigner = Symbol.for('AccessTokenSigner');
export type AccessTokenSigner = JwtSigner;

/** Verifies access tokens on this service's own routes, locally over its own JWKS. */
export const AccessTokenVerifier = Symbol.for('AccessTokenVerifier');
export type AccessTokenVerifier = JwtVerifier;

/** The user database (postgres profile only): readiness checks it. */
export const UserDatabasePool = Symbol.for('UserDatabasePool');
export type UserDatabasePool = DatabasePool;

export const UserServiceConfig = Symbol.for('UserServiceConfig');
export type UserServiceConfig = UserServiceConfigValue;
