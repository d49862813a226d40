export { createHttpApp, type HttpApp, type HttpAppOptions } from './app.js';
export { requestPipeline, type RequestPipelineOptions } from './pipeline.js';
export { requestCorrelation, currentRequestId, runWithRequestId, isSaneRequestId, REQUEST_ID_HEADER } from './request-id.js';
export { createLogger, REDACTED_PATHS } from './access-log.js';
export { httpMetricsRecorder, type HttpMetricsOptions, type HttpMetricsRecorder } from './metrics.js';
export { routeTemplateOf, UNMATCHED_ROUTE } from './route-template.js';
export {
  HttpProblem,
  problemFor,
  titleOf,
  STATUS_OF_KIND,
  PROBLEM_CONTENT_TYPE,
  DEFAULT_PROBLEM_OPTIONS,
  type Problem,
  type ProblemOptions,
  type ProblemResponse,
} from './problem.js';
export { requestBodyOf, nestingDepth, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MAX_JSON_DEPTH } from './json-body.js';
export { decodeBody, decodeOptionalBody, decodeQuery, decodeParams, sendResult, type SendOptions } from './decode.js';
export { etagOf, expectedVersion } from './etag.js';
export { JwtSigner, type JwtSignerOptions, type SignedToken, type Jwks } from './auth/jwt-signer.js';
export { JwtVerifier, type JwtVerifierOptions, type RemoteJwksOptions, type VerifiedToken } from './auth/jwt-verifier.js';
export { type AuthState } from './auth/authenticate.js';
export { JwtAccessTokenIssuer } from './auth/access-token-issuer.js';
export { generateSigningKey, loadSigningKey, loadPublishedKey, type SigningKey, type PublishedKey } from './auth/signing-key.js';
export { Readiness, type ReadinessReport, type ReadinessCheckResult } from './readiness.js';
export {
  loadConfig,
  ConfigurationError,
  envString,
  envPort,
  envPositiveInt,
  envUrl,
  envDuration,
  envList,
  envBoolean,
  envOptional,
  envChoice,
  envJwks,
  envParsed,
  LOG_LEVELS,
  type LogLevel,
  type Env,
} from './config.js';
export { startHttpServer, type RunningServer, type ServerOptions } from './server.js';
export { handleShutdownSignals, type ShutdownStep, type ShutdownOptions, type ShutdownHandle, type SignalSource } from './shutdown.js';
export {
  OpenApiDocument,
  openApiPath,
  type OperationSpec,
  type ResponseSpec,
  type OpenApiInfo,
  type OpenApiObject,
  type AuthMode,
  type HttpVerb,
} from './openapi/document.js';
export { toJsonSchema, describeSchema, fieldsOf, type JsonSchema } from './openapi/json-schema.js';
export { RestApi, type RestApiOptions, type RouteSpec, type RouteInput, type RouteHandler, type HttpContext, type HttpState } from './openapi/rest-api.js';
export { routesOf, undocumentedRoutes, type MountedRoute } from './openapi/coverage.js';
