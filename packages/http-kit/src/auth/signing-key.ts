import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

/** An Ed25519 key pair ready for signing, with its key id. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK;
}

/** A public key that verifies tokens, as published in the JWKS. */
export interface PublishedKey {
  readonly kid: string;
  readonly publicJwk: JWK;
}

/** The private key of a new signing key as a JWK (with kid), for configuration (JWT_PRIVATE_KEY). */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: await thumbprintOf(jwk) };
}

/**
 * Reads a private Ed25519 key from configuration: a JWK (JSON text or object) or a PKCS#8 PEM.
 * The key id is the JWK's `kid` or else its RFC 7638 thumbprint, so the same key always has the
 * same id on every instance without anyone choosing one.
 */
export async function loadSigningKey(source: string | JWK): Promise<SigningKey> {
  const privateKey = importKey(source, 'private');
  const publicJwk = publicJwkOf(createPublicKey(privateKey));
  const kid = kidOf(source) ?? (await thumbprintOf(publicJwk));
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' } };
}

/** Reads a public (or private: only its public half is kept) Ed25519 key, e.g. the previous key during rotation. */
export async function loadPublishedKey(source: string | JWK): Promise<PublishedKey> {
  const key = importKey(source, 'public');
  const publicJwk = publicJwkOf(key.type === 'private' ? createPublicKey(key) : key);
  const kid = kidOf(source) ?? (await thumbprintOf(publicJwk));
  return { kid, publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' } };
}

function importKey(source: string | JWK, want: 'private' | 'public'): KeyObject {
  let key: KeyObject;
  try {
    const jwk = asJwk(source);
    if (jwk) {
      key = jwk.d !== undefined ? createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) : createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } else {
      const pem = (source as string).trim().replace(/\\n/g, '\n');
      key = pem.includes('PRIVATE KEY') ? createPrivateKey(pem) : createPublicKey(pem);
    }
  } catch (error) {
    throw new Error(`The ${want} signing key could not be read (expected an Ed25519 JWK or PEM): ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`The ${want} signing key must be Ed25519, not ${key.asymmetricKeyType ?? key.type}`);
  if (want === 'private' && key.type !== 'private') throw new Error('The signing key must be a private key');
  return key;
}

function asJwk(source: string | JWK): JWK | undefined {
  if (typeof source !== 'string') return source;
  const text = source.trim();
  return text.startsWith('{') ? (JSON.parse(text) as JWK) : undefined;
}

const kidOf = (source: string | JWK): string | undefined => {
  const kid = asJwk(source)?.kid;
  return typeof kid === 'string' && kid !== '' ? kid : undefined;
};

function publicJwkOf(key: KeyObject): JWK {
  const { kty, crv, x } = key.export({ format: 'jwk' }) as JWK;
  return { kty, crv, x };
}

const thumbprintOf = (jwk: JWK): Promise<string> => calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'sha256');
