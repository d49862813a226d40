import type Koa from 'koa';
import supertest from 'supertest';

/** supertest on the app's callback: requests in process, no port, no server to close. */
export function requestTo(app: Koa): ReturnType<typeof supertest> {
  return supertest(app.callback());
}

/**
 * Sends `body` byte for byte. superagent would JSON-encode a Buffer sent with a JSON content type
 * (into `{"type":"Buffer","data":[...]}`), which is not the malformed input a test means to send.
 */
export function sendRaw(test: supertest.Test, body: Buffer | string, contentType: string): supertest.Test {
  // The identity serializer hands the Buffer to the socket as is; superagent's type says string.
  return test.set('Content-Type', contentType).serialize((raw: Buffer | string) => raw as string).send(body);
}
