import * as t from 'io-ts';
import { IsoDateTime, Uuid, strictObject } from '@conference/kernel';
import { RoleCodec } from '@conference/user';

/**
 * The response shapes of the user service as io-ts codecs, for the OpenAPI document only: they
 * mirror the views of @conference/user (UserView, LoginSessionView, AuthTokensView,
 * EnrollmentRequestView), and a test decodes real responses with them so they cannot drift.
 */

export const UserViewCodec = t.type({
  id: Uuid,
  email: t.string,
  name: t.string,
  role: RoleCodec,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: t.number,
}, 'User');

export const UserPageCodec = t.type({ items: t.array(UserViewCodec), nextCursor: t.union([t.string, t.null]) }, 'UserPage');

export const LoginSessionViewCodec = t.type({
  id: Uuid,
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  userAgent: t.union([t.string, t.null]),
  ip: t.union([t.string, t.null]),
  current: t.boolean,
}, 'LoginSession');

export const LoginSessionPageCodec = t.type({ items: t.array(LoginSessionViewCodec), nextCursor: t.null }, 'LoginSessionPage');

export const AuthTokensViewCodec = t.type({
  accessToken: t.string,
  refreshToken: t.string,
  expiresIn: t.number,
  user: UserViewCodec,
}, 'AuthTokens');

export const EnrollmentRequestViewCodec = t.type({ eventId: Uuid, userId: Uuid, status: t.literal('pending') }, 'EnrollmentRequest');

const PublicJwk = t.intersection([
  t.type({ kty: t.literal('OKP'), crv: t.literal('Ed25519'), x: t.string, kid: t.string }),
  t.partial({ alg: t.literal('EdDSA'), use: t.literal('sig') }),
], 'PublicJwk');
export const JwksCodec = t.type({ keys: t.array(PublicJwk) }, 'Jwks');

/** Path parameters. */
export const IdParams = strictObject({ id: Uuid }, {}, 'IdParams');
export const EventIdParams = strictObject({ eventId: Uuid }, {}, 'EventIdParams');
