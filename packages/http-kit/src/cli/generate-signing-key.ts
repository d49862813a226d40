#!/usr/bin/env node
/**
 * Prints a new Ed25519 signing key as a JWK for the user service's environment:
 *   node packages/http-kit/dist/cli/generate-signing-key.js            → JWT_PRIVATE_KEY='{...}'
 *   node packages/http-kit/dist/cli/generate-signing-key.js --json     → the JWK alone
 * The private key goes to the user service only; other services fetch the public half from the JWKS.
 */
import { generateSigningKey } from '../auth/signing-key.js';

const jwk = await generateSigningKey();
const json = JSON.stringify(jwk);
if (process.argv.includes('--json')) {
  process.stdout.write(`${json}\n`);
} else {
  process.stdout.write(`# kid ${jwk.kid}; keep this secret. During rotation, move the old value to JWT_PREVIOUS_KEYS.\n`);
  process.stdout.write(`JWT_PRIVATE_KEY='${json}'\n`);
}
