export { requestTo, sendRaw } from './request.js';
export { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from './tokens.js';
export { malformedBodies, type MalformedBody, type MalformedBodiesOptions } from './malformed-bodies.js';
export { startHostProcess, type HostProcess } from './host-process.js';
export { serveJwks, type JwksServer } from './jwks-server.js';
