export * from './contracts.js';
export { decodeMessage, type KnownMessage } from './decode.js';
