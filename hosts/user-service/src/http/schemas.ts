import type * as t from 'io-ts';
import { describeSchema, fieldsOf } from '@conference/http-kit';
import { ListUsersQuery, LoginBody, LogoutBody, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, RefreshBody, RegisterBody } from '@conference/user';
import { MAX_PAGE_SIZE } from '@conference/kernel';

/**
 * JSON Schemas for the user context's hand-written codecs, which the OpenAPI converter cannot see
 * into (it would document them as "any value"). Registered once, when the routes module loads.
 */
function describeField(codec: t.Mixed, field: string, schema: Record<string, unknown>): void {
  const found = fieldsOf(codec)?.find((f) => f.name === field);
  if (!found) throw new Error(`${codec.name} has no field ${field} to describe`);
  describeSchema(found.codec, schema);
}

let described = false;
export function describeUserCodecs(): void {
  if (described) return;
  described = true;
  describeField(RegisterBody, 'password', { type: 'string', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password', description: 'Kept exactly as typed; length in characters' });
  describeField(LoginBody, 'password', { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH, format: 'password' });
  describeField(RefreshBody, 'refreshToken', { type: 'string', minLength: 1, maxLength: 512, description: 'The opaque refresh token from login or the last refresh' });
  describeField(LogoutBody, 'refreshToken', { type: 'string', minLength: 1, maxLength: 512 });
  describeField(ListUsersQuery, 'limit', { type: 'string', pattern: '^[0-9]+$', description: `Page size, 1-${MAX_PAGE_SIZE}` });
}
