import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** A file every proto tree of ours has; finding it tells the repository's proto/ folder from any other. */
const MARKER = join('grpc', 'health', 'v1', 'health.proto');

/**
 * The one proto/ tree every service loads (never a copy, which would drift): `PROTO_DIR` when set,
 * otherwise the first `proto/` folder holding our contracts found walking up from this module
 * (dist/ in the repository, node_modules/@conference/adapters-grpc/dist/ in an image that copies
 * proto/ beside the app). Fails fast at start-up rather than on the first call.
 */
export function protoDir(env: NodeJS.ProcessEnv = process.env, from: string = fileURLToPath(import.meta.url)): string {
  const configured = env['PROTO_DIR'];
  if (configured) {
    const dir = resolve(configured);
    if (!existsSync(join(dir, MARKER))) throw new Error(`PROTO_DIR=${configured} holds no ${MARKER}; point it at the repository's proto/ folder`);
    return dir;
  }
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, MARKER))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`no proto/ folder with ${MARKER} above ${from}; set PROTO_DIR`);
}

/**
 * How proto-loader turns messages into JS objects, chosen once for every service:
 * - keepCase false: fields are camelCase in TypeScript (`session_id` → `sessionId`), snake_case in
 *   the .proto files as the protobuf style guide asks;
 * - longs Number: int64 carries versions and Timestamp seconds, far below 2^53, so plain numbers are
 *   exact and no caller parses strings;
 * - enums String: health statuses read as 'SERVING', not 1;
 * - defaults true: an absent scalar reads as '' / 0 / [] as proto3 defines it, so handlers never
 *   meet `undefined` for a plain field; `optional` fields (presence) stay absent when unset, which
 *   is how a null event id travels;
 * - oneofs true: the synthetic oneof of an `optional` field names the field when it is set.
 */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** Every contract under proto/, relative to it. Loaded together so one definition serves servers and clients. */
export const PROTO_FILES = [
  'conference/session/v1/session_service.proto',
  'conference/speaker/v1/speaker_service.proto',
  'grpc/health/v1/health.proto',
] as const;

export const SESSION_SERVICE = 'conference.session.v1.SessionService';
export const SPEAKER_SERVICE = 'conference.speaker.v1.SpeakerService';
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

let cached: { dir: string; definition: protoLoader.PackageDefinition } | null = null;

/** The package definition of every contract, parsed once per process (per proto folder). */
export function loadContracts(dir: string = protoDir()): protoLoader.PackageDefinition {
  if (cached?.dir === dir) return cached.definition;
  const definition = protoLoader.loadSync([...PROTO_FILES], { ...PROTO_LOADER_OPTIONS, includeDirs: [dir] });
  cached = { dir, definition };
  return definition;
}

/** The service definition to register on a server, by full name (`conference.session.v1.SessionService`). */
export function serviceDefinition(fullName: string, definition: protoLoader.PackageDefinition = loadContracts()): grpc.ServiceDefinition {
  const found = definition[fullName];
  if (!found || !isServiceDefinition(found)) throw new Error(`${fullName} is not a service in proto/`);
  return found;
}

/** The generated client class of a service, by full name. */
export function clientConstructor(fullName: string, definition: protoLoader.PackageDefinition = loadContracts()): grpc.ServiceClientConstructor {
  return grpc.makeClientConstructor(serviceDefinition(fullName, definition), fullName);
}

const isServiceDefinition = (value: object): value is grpc.ServiceDefinition =>
  !('format' in value) && Object.values(value).every((method) => typeof method === 'object' && method !== null && 'path' in method);
