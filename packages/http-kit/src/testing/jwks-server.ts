import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Jwks } from '../auth/jwt-signer.js';

export interface JwksServer {
  /** The key set's URL, shaped like the user service's (`…/api/auth/jwks.json`). */
  readonly url: string;
  close(): void;
}

/** Serves a signer's public keys on 127.0.0.1, standing in for the user service in a host's process test. */
export async function serveJwks(signer: { jwks(): Jwks }): Promise<JwksServer> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(signer.jwks())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/jwks.json`,
    close: () => server.close(),
  };
}
