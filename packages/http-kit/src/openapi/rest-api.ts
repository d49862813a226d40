import Router, { type RouterMiddleware } from '@koa/router';
import type { Actor } from '@conference/kernel';
import type * as t from 'io-ts';
import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import { authenticateRequest, type AuthState } from '../auth/authenticate.js';
import type { JwtVerifier } from '../auth/jwt-verifier.js';
import { decodeBody, decodeOptionalBody, decodeParams, decodeQuery } from '../decode.js';
import { OpenApiDocument, pathParamsOf, type AuthMode, type HttpVerb, type OpenApiInfo, type OperationSpec, type ResponseSpec } from './document.js';

/** What every request carries in ctx.state once it reaches a route. */
export interface HttpState extends Partial<AuthState> {
  requestId: string;
  /** A logger stamped with the request id. */
  log: Logger;
}

export type HttpContext = ParameterizedContext<HttpState, { params: Record<string, string> }>;

/** A route's spec: the OpenAPI operation, whose codecs are also what decodes the request. */
export interface RouteSpec<P, Q, B, A extends AuthMode, R extends boolean>
  extends Omit<OperationSpec, 'params' | 'query' | 'body' | 'auth' | 'bodyRequired'> {
  readonly auth: A;
  readonly params?: t.Type<P, unknown, unknown>;
  readonly query?: t.Type<Q, unknown, unknown>;
  readonly body?: t.Type<B, unknown, unknown>;
  readonly bodyRequired?: R;
}

/** The decoded request, typed by the spec: `actor` is an Actor on routes that require one. */
export interface RouteInput<P, Q, B, A extends AuthMode, R extends boolean> {
  readonly params: P;
  readonly query: Q;
  readonly body: R extends false ? B | undefined : B;
  readonly actor: A extends 'required' ? Actor : A extends 'optional' ? Actor | null : null;
}

export type RouteHandler<P, Q, B, A extends AuthMode, R extends boolean> = (ctx: HttpContext, input: RouteInput<P, Q, B, A, R>) => unknown;

export interface RestApiOptions {
  readonly info: OpenApiInfo;
  /** Needed as soon as one route has `auth` other than 'none'. */
  readonly verifier?: JwtVerifier;
}

/**
 * The routes of a service and their OpenAPI document, registered together: `route(spec, handler)`
 * mounts the handler AND documents the operation, and the handler receives the request decoded
 * with the very codecs the document describes. Problem responses are documented automatically.
 */
export class RestApi {
  readonly router = new Router();
  readonly document: OpenApiDocument;

  constructor(private readonly options: RestApiOptions) {
    this.document = new OpenApiDocument(options.info);
  }

  route<P = Record<string, string>, Q = undefined, B = undefined, A extends AuthMode = AuthMode, R extends boolean = true>(
    spec: RouteSpec<P, Q, B, A, R>,
    handler: RouteHandler<P, Q, B, A, R>,
  ): this {
    if (spec.auth !== 'none' && !this.options.verifier) {
      throw new Error(`${spec.method.toUpperCase()} ${spec.path} needs authentication but the RestApi was created without a verifier`);
    }
    if (!spec.body && spec.bodyRequired !== undefined) throw new Error(`${spec.method.toUpperCase()} ${spec.path}: bodyRequired without a body codec`);
    if (spec.body && spec.method === 'get') throw new Error(`GET ${spec.path} cannot take a body`);
    this.document.add(spec as OperationSpec);

    // Authentication, decoding and the handler in one router middleware: a layer each cost a
    // dispatch and a promise per request. A request without a token does not wait at all.
    const verifier = spec.auth === 'none' ? undefined : this.options.verifier!;
    const required = spec.auth === 'required';
    const hasPathParams = pathParamsOf(spec.path).length > 0;
    const run = (context: HttpContext): unknown => {
      const input = {
        params: spec.params ? decodeParams(context, spec.params) : hasPathParams ? { ...context.params } : {},
        query: spec.query ? decodeQuery(context, spec.query) : undefined,
        body: spec.body ? (spec.bodyRequired === false ? decodeOptionalBody(context, spec.body) : decodeBody(context, spec.body)) : undefined,
        actor: context.state.actor ?? null,
      } as RouteInput<P, Q, B, A, R>;
      return handler(context, input);
    };
    const middleware: RouterMiddleware<HttpState> = (ctx) => {
      const context = ctx as unknown as HttpContext;
      const verifying = verifier ? authenticateRequest(context, verifier, required) : undefined;
      return verifying ? verifying.then(() => run(context)) : run(context);
    };
    this.router.register(spec.path, [spec.method.toUpperCase()], middleware, { name: spec.operationId });
    return this;
  }
}

export type { AuthMode, HttpVerb, ResponseSpec };
