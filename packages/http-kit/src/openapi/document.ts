import * as t from 'io-ts';
import { fieldsOf, toJsonSchema, type JsonSchema, type SchemaComponents } from './json-schema.js';
import { titleOf } from '../problem.js';

export type HttpVerb = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** none: public; optional: a token is read when sent; required: 401 without one. */
export type AuthMode = 'none' | 'optional' | 'required';

export interface ResponseSpec {
  readonly description: string;
  /** A codec (its JSON Schema is derived) or a JSON Schema as is (for non-JSON bodies). */
  readonly schema?: t.Mixed | JsonSchema;
  /** Default application/json. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema?: JsonSchema }>>;
}

/** What one operation is, in the terms of the route that serves it. */
export interface OperationSpec {
  readonly method: HttpVerb;
  /** Koa style: `/api/events/:id`. */
  readonly path: string;
  readonly operationId?: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly auth: AuthMode;
  readonly params?: t.Mixed;
  readonly query?: t.Mixed;
  readonly body?: t.Mixed;
  /** Default true: a missing body is a 400. */
  readonly bodyRequired?: boolean;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Problem statuses the use case can answer beyond those implied by the spec (404, 409, 422 ...). */
  readonly problems?: readonly number[];
  readonly deprecated?: boolean;
}

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

export type OpenApiObject = { readonly openapi: string; readonly paths: Record<string, Record<string, unknown>> } & Record<string, unknown>;

const PARAM = /:([A-Za-z_$][\w$]*)/g;

/** `/api/events/:id` → `/api/events/{id}`; refuses router syntax OpenAPI cannot express. */
export function openApiPath(koaPath: string): string {
  if (/[{}*()?]/.test(koaPath)) throw new Error(`Route ${koaPath}: optional segments, wildcards and patterns cannot be documented; use plain :params`);
  return koaPath.replace(PARAM, '{$1}');
}

export const pathParamsOf = (koaPath: string): string[] => [...koaPath.matchAll(PARAM)].map((m) => m[1]!);

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri-reference' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable code, e.g. EVENT.NOT_FOUND' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/**
 * The OpenAPI 3.1 document of a service, built from the same specs that mount the routes
 * (RestApi.route), so it cannot describe a route that does not exist or miss one that does.
 */
export class OpenApiDocument {
  private readonly operations: OperationSpec[] = [];
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly schemaNames = new Map<t.Mixed, string>();

  constructor(private readonly info: OpenApiInfo) {}

  add(spec: OperationSpec): void {
    const path = openApiPath(spec.path);
    if (this.operations.some((op) => op.method === spec.method && openApiPath(op.path) === path)) {
      throw new Error(`${spec.method.toUpperCase()} ${spec.path} is registered twice`);
    }
    const operationId = spec.operationId ?? operationIdOf(spec);
    if (this.operations.some((op) => (op.operationId ?? operationIdOf(op)) === operationId)) {
      throw new Error(`${spec.method.toUpperCase()} ${spec.path}: operationId ${operationId} is already used`);
    }
    const declared = spec.params ? fieldsOf(spec.params)?.map((f) => f.name) : undefined;
    if (declared) {
      const inPath = pathParamsOf(spec.path);
      const missing = inPath.filter((p) => !declared.includes(p));
      const extra = declared.filter((p) => !inPath.includes(p));
      if (missing.length > 0 || extra.length > 0) {
        throw new Error(`${spec.method.toUpperCase()} ${spec.path}: the params codec must have exactly the path's parameters (${inPath.join(', ') || 'none'})`);
      }
    }
    this.operations.push(spec);
  }

  get size(): number {
    return this.operations.length;
  }

  toJSON(): OpenApiObject {
    const components: SchemaComponents = {
      refFor: (codec, build) => {
        const known = this.schemaNames.get(codec);
        if (known) return known;
        let name = codec.name;
        for (let i = 2; this.schemas.has(name); i++) name = `${codec.name}_${i}`;
        this.schemaNames.set(codec, name);
        this.schemas.set(name, {}); // reserve the name first: a recursive shape refers to itself
        this.schemas.set(name, build());
        return name;
      },
    };
    const paths: Record<string, Record<string, unknown>> = {};
    for (const spec of this.operations) {
      const path = openApiPath(spec.path);
      (paths[path] ??= {})[spec.method] = this.operation(spec, components);
    }
    const usesAuth = this.operations.some((op) => op.auth !== 'none');
    return {
      openapi: '3.1.0',
      info: { ...this.info },
      paths,
      components: {
        schemas: { Problem: PROBLEM_SCHEMA, ...Object.fromEntries([...this.schemas].sort(([a], [b]) => a.localeCompare(b))) },
        ...(usesAuth ? { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } } : {}),
      },
    };
  }

  private operation(spec: OperationSpec, components: SchemaComponents): Record<string, unknown> {
    const parameters = [
      ...this.parameters(spec.path, spec.params, 'path', components),
      ...(spec.query ? this.parameters(spec.path, spec.query, 'query', components) : []),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(spec.responses)) responses[status] = this.response(response, components);
    for (const status of problemStatuses(spec)) {
      responses[String(status)] ??= problemResponse(titleOf(status));
    }
    responses['default'] = problemResponse('Unexpected error');
    return {
      operationId: spec.operationId ?? operationIdOf(spec),
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.tags ? { tags: [...spec.tags] } : {}),
      ...(spec.deprecated ? { deprecated: true } : {}),
      ...(spec.auth === 'required' ? { security: [{ bearerAuth: [] }] } : spec.auth === 'optional' ? { security: [{ bearerAuth: [] }, {}] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(spec.body
        ? { requestBody: { required: spec.bodyRequired !== false, content: { 'application/json': { schema: toJsonSchema(spec.body, components) } } } }
        : {}),
      responses,
    };
  }

  private parameters(path: string, codec: t.Mixed | undefined, where: 'path' | 'query', components: SchemaComponents): unknown[] {
    if (where === 'path') {
      const fields = codec ? fieldsOf(codec) : undefined;
      return pathParamsOf(path).map((name) => {
        const field = fields?.find((f) => f.name === name);
        return { name, in: 'path', required: true, schema: field ? toJsonSchema(field.codec, components) : { type: 'string' } };
      });
    }
    const fields = codec ? fieldsOf(codec) : undefined;
    if (!fields) throw new Error(`${path}: a query codec must be an object codec (strictObject, t.type, t.partial)`);
    return fields.map((f) => ({ name: f.name, in: 'query', required: f.required, schema: toJsonSchema(f.codec, components) }));
  }

  private response(response: ResponseSpec, components: SchemaComponents): Record<string, unknown> {
    const schema = response.schema === undefined ? undefined : response.schema instanceof t.Type ? toJsonSchema(response.schema, components) : response.schema;
    return {
      description: response.description,
      ...(response.headers
        ? { headers: Object.fromEntries(Object.entries(response.headers).map(([name, h]) => [name, { description: h.description, schema: h.schema ?? { type: 'string' } }])) }
        : {}),
      ...(schema ? { content: { [response.contentType ?? 'application/json']: { schema } } } : {}),
    };
  }
}

/** The problem statuses an operation can answer, implied by its spec, plus those it declares. */
function problemStatuses(spec: OperationSpec): number[] {
  const statuses = new Set<number>(spec.problems ?? []);
  if (spec.params || spec.query || spec.body) statuses.add(400);
  if (spec.auth !== 'none') {
    statuses.add(401);
    statuses.add(503); // the keys that verify tokens may be unreachable
  }
  if (spec.auth === 'required') statuses.add(403);
  if (pathParamsOf(spec.path).length > 0) statuses.add(404);
  if (spec.body) {
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort((a, b) => a - b);
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** `GET /api/events/:id/enrollments` → `getApiEventsIdEnrollments`. */
function operationIdOf(spec: OperationSpec): string {
  const words = spec.path.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return spec.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
