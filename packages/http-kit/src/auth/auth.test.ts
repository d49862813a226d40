import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { JwtAccessTokenIssuer } from './access-token-issuer.js';
import { JwtSigner } from './jwt-signer.js';
import { JwtVerifier } from './jwt-verifier.js';
import { generateSigningKey } from './signing-key.js';
import { requestTo } from '../testing/request.js';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER } from '../testing/tokens.js';
import { demoApp } from '../test-support.js';

const USER = '5b0f4b2e-3f3c-4a8e-9b7e-2f1d6c0a9e11';
const PROBLEM = /^application\/problem\+json/;

async function serveJwks(answer: () => { status: number; body: unknown }): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    const { status, body } = answer();
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/jwks.json`, server, hits: () => hits };
}

describe('JwtSigner', () => {
  it('signs EdDSA tokens with kid, iss, aud, sub, iat and exp', async () => {
    const signer = await JwtSigner.create({ privateKey: await generateSigningKey(), issuer: 'iss-a', audience: 'aud-a' });
    const { token, expiresIn, expiresAt } = await signer.sign({ sub: USER, role: 'organizer' }, 900);
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    expect(header).to.include({ alg: 'EdDSA', typ: 'JWT', kid: signer.kid });
    expect(claims).to.include({ sub: USER, role: 'organizer', iss: 'iss-a', aud: 'aud-a' });
    expect(claims.exp! - claims.iat!).to.equal(900);
    expect(expiresIn).to.equal(900);
    expect(expiresAt.getTime()).to.equal(claims.exp! * 1000);
  });

  it('publishes only public keys, the current one first and the previous one for rotation', async () => {
    const previous = await generateSigningKey();
    const current = await generateSigningKey();
    const signer = await JwtSigner.create({ privateKey: current, previousKeys: [previous], issuer: 'i', audience: 'a' });
    const { keys } = signer.jwks();
    expect(keys.map((k) => k.kid)).to.deep.equal([current.kid, previous.kid]);
    for (const key of keys) {
      expect(key).to.include({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(key).not.to.have.property('d');
    }
  });

  it('keeps tokens signed with the previous key valid after a rotation, and accepts the new ones', async () => {
    const oldKey = await generateSigningKey();
    const oldSigner = await JwtSigner.create({ privateKey: oldKey, issuer: 'i', audience: 'a' });
    const oldToken = (await oldSigner.sign({ sub: USER, role: 'attendee' }, 60)).token;
    const rotated = await JwtSigner.create({ privateKey: await generateSigningKey(), previousKeys: [JSON.stringify(oldKey)], issuer: 'i', audience: 'a' });
    const verifier = JwtVerifier.local(rotated.jwks(), { issuer: 'i', audience: 'a' });
    expect((await verifier.verify(oldToken)).actor.userId).to.equal(USER);
    expect((await verifier.verify((await rotated.sign({ sub: USER, role: 'admin' }, 60)).token)).actor.role).to.equal('admin');
  });

  it('reads a PKCS#8 PEM (also with escaped newlines, as env files hold it) and derives the kid from the key', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const one = await JwtSigner.create({ privateKey: pem, issuer: 'i', audience: 'a' });
    const two = await JwtSigner.create({ privateKey: pem.replace(/\n/g, '\\n'), issuer: 'i', audience: 'a' });
    expect(one.kid).to.equal(two.kid).and.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a key that is not Ed25519, or public, with a message saying so', async () => {
    const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: Error) => e.message);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(await failureOf(JwtSigner.create({ privateKey: ec, issuer: 'i', audience: 'a' }))).to.contain('must be Ed25519');
    const publicPem = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(await failureOf(JwtSigner.create({ privateKey: publicPem, issuer: 'i', audience: 'a' }))).to.contain('must be a private key');
    expect(await failureOf(JwtSigner.create({ privateKey: 'not a key', issuer: 'i', audience: 'a' }))).to.contain('could not be read');
  });

  it('backs the user context\'s AccessTokenIssuer port with the claims the verifier reads', async () => {
    const tokens = await createTestTokens();
    const issuer = new JwtAccessTokenIssuer(tokens.signer);
    const sessionId = randomUUID();
    const issued = await issuer.issue({ userId: USER, email: 'ada@example.org', role: 'organizer', sessionId }, 600);
    expect(issued.expiresIn).to.equal(600);
    const verified = await tokens.verifier.verify(issued.token);
    expect(verified).to.deep.include({ actor: { userId: USER, role: 'organizer' }, sessionId, email: 'ada@example.org' });
  });

  it('CLI dist/cli/generate-signing-key.js prints a usable private JWK for the environment', async () => {
    const cli = fileURLToPath(new URL('../cli/generate-signing-key.js', import.meta.url));
    const env = spawnSync(process.execPath, [cli], { encoding: 'utf8' });
    expect(env.status).to.equal(0);
    const line = env.stdout.split('\n').find((l) => l.startsWith('JWT_PRIVATE_KEY='))!;
    const jwk = JSON.parse(line.slice('JWT_PRIVATE_KEY='.length).replace(/^'|'$/g, ''));
    expect(jwk).to.include({ kty: 'OKP', crv: 'Ed25519' }).and.to.have.property('d');
    const signer = await JwtSigner.create({ privateKey: line.slice('JWT_PRIVATE_KEY='.length).replace(/^'|'$/g, ''), issuer: 'i', audience: 'a' });
    expect(signer.kid).to.equal(jwk.kid);
    const json = spawnSync(process.execPath, [cli, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(json.stdout)).to.have.property('kid');
  });
});

describe('authenticate + JwtVerifier', () => {
  it('puts the actor and login session of a valid token in ctx.state', async () => {
    const tokens = await createTestTokens();
    const { app } = demoApp({ verifier: tokens.verifier });
    const sessionId = randomUUID();
    const token = await tokens.tokenFor({ userId: USER, role: 'admin' }, { sessionId });
    const res = await requestTo(app).get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).to.deep.equal({ actor: { userId: USER, role: 'admin' }, sessionId });
    await requestTo(app).get('/me').set('Authorization', `bearer ${token}`).expect(200);
  });

  async function expect401(header: string | undefined, code: string, verifier?: JwtVerifier) {
    const tokens = await createTestTokens();
    const { app } = demoApp({ verifier: verifier ?? tokens.verifier });
    const req = requestTo(app).get('/me');
    if (header !== undefined) req.set('Authorization', header);
    const res = await req.expect(401);
    expect(res.headers['content-type']).to.match(PROBLEM);
    expect(res.body).to.include({ status: 401, code });
    expect(res.headers['www-authenticate']).to.match(/^Bearer/);
    return res;
  }

  it('401 AUTH.TOKEN_MISSING without a token, with a bare Bearer challenge', async () => {
    const res = await expect401(undefined, 'AUTH.TOKEN_MISSING');
    expect(res.headers['www-authenticate']).to.equal('Bearer');
  });

  it('401 AUTH.TOKEN_INVALID for another scheme or garbage', async () => {
    await expect401('Basic dXNlcjpwYXNz', 'AUTH.TOKEN_INVALID');
    const res = await expect401('Bearer not.a.jwt', 'AUTH.TOKEN_INVALID');
    expect(res.headers['www-authenticate']).to.equal('Bearer error="invalid_token"');
  });

  it('401 AUTH.TOKEN_INVALID for a tampered token (payload changed, signature kept)', async () => {
    const tokens = await createTestTokens();
    const token = await tokens.tokenFor({ userId: USER, role: 'attendee' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const res = await expect401(`Bearer ${header}.${forged}.${signature}`, 'AUTH.TOKEN_INVALID', tokens.verifier);
    expect(res.body.detail).to.contain('signature');
  });

  it('401 AUTH.TOKEN_EXPIRED for an expired token', async () => {
    const tokens = await createTestTokens();
    await expect401(`Bearer ${await tokens.expiredToken({ userId: USER })}`, 'AUTH.TOKEN_EXPIRED', tokens.verifier);
  });

  it('tolerates a few seconds of clock skew, not more', async () => {
    const tokens = await createTestTokens();
    const token = (await tokens.signer.sign({ sub: USER, role: 'attendee' }, 60)).token;
    const at = (offsetSeconds: number) => JwtVerifier.local(tokens.signer.jwks(), { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, now: () => new Date(Date.now() + offsetSeconds * 1000) });
    expect((await at(62).verify(token)).actor.userId).to.equal(USER);
    let code = '';
    await at(70).verify(token).catch((e: { code: string }) => (code = e.code));
    expect(code).to.equal('AUTH.TOKEN_EXPIRED');
  });

  it('401 AUTH.TOKEN_INVALID for the wrong issuer or audience', async () => {
    const tokens = await createTestTokens();
    const wrongIssuer = await JwtSigner.create({ privateKey: await generateSigningKey(), issuer: 'evil', audience: TEST_AUDIENCE });
    const wrongAudience = await JwtSigner.create({ privateKey: await generateSigningKey(), issuer: TEST_ISSUER, audience: 'another-api' });
    const trustsAll = JwtVerifier.local({ keys: [...tokens.signer.jwks().keys, ...wrongIssuer.jwks().keys, ...wrongAudience.jwks().keys] }, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
    const issuerRes = await expect401(`Bearer ${(await wrongIssuer.sign({ sub: USER, role: 'admin' }, 60)).token}`, 'AUTH.TOKEN_INVALID', trustsAll);
    expect(issuerRes.body.detail).to.contain('"iss"');
    const audienceRes = await expect401(`Bearer ${(await wrongAudience.sign({ sub: USER, role: 'admin' }, 60)).token}`, 'AUTH.TOKEN_INVALID', trustsAll);
    expect(audienceRes.body.detail).to.contain('"aud"');
  });

  it('401 AUTH.TOKEN_INVALID for a token signed by a key we do not know (unknown kid)', async () => {
    const tokens = await createTestTokens();
    const stranger = await createTestTokens();
    const res = await expect401(`Bearer ${await stranger.tokenFor({ userId: USER })}`, 'AUTH.TOKEN_INVALID', tokens.verifier);
    expect(res.body.detail).to.contain('key we do not know');
  });

  it('401 when the subject is not a UUID or the role is not a role', async () => {
    const tokens = await createTestTokens();
    await expect401(`Bearer ${(await tokens.signer.sign({ sub: 'root', role: 'admin' }, 60)).token}`, 'AUTH.TOKEN_INVALID', tokens.verifier);
    await expect401(`Bearer ${(await tokens.signer.sign({ sub: USER, role: 'superuser' }, 60)).token}`, 'AUTH.TOKEN_INVALID', tokens.verifier);
    await expect401(`Bearer ${(await tokens.signer.sign({ sub: USER }, 60)).token}`, 'AUTH.TOKEN_INVALID', tokens.verifier);
  });

  it('on an optional route: no token → actor null; a bad token → 401', async () => {
    const tokens = await createTestTokens();
    const { app } = demoApp({ verifier: tokens.verifier });
    expect((await requestTo(app).get('/maybe-me').expect(200)).body).to.deep.equal({ actor: null });
    await requestTo(app).get('/maybe-me').set('Authorization', 'Bearer x.y.z').expect(401);
    const ok = await requestTo(app).get('/maybe-me').set('Authorization', await tokens.bearer({ userId: USER, role: 'organizer' })).expect(200);
    expect(ok.body.actor).to.deep.equal({ userId: USER, role: 'organizer' });
  });

  describe('remote JWKS', () => {
    const servers: Server[] = [];
    afterEach(() => {
      for (const server of servers.splice(0)) server.close();
    });

    it('verifies with keys fetched once and cached', async () => {
      const tokens = await createTestTokens();
      const jwks = await serveJwks(() => ({ status: 200, body: tokens.signer.jwks() }));
      servers.push(jwks.server);
      const verifier = JwtVerifier.remote(jwks.url, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
      const { app } = demoApp({ verifier });
      for (let i = 0; i < 3; i++) await requestTo(app).get('/me').set('Authorization', await tokens.bearer({ userId: USER })).expect(200);
      expect(jwks.hits()).to.equal(1);
    });

    it('answers 503 AUTH.KEYS_UNAVAILABLE with Retry-After, not 500, when the JWKS endpoint is down or broken', async () => {
      const tokens = await createTestTokens();
      const broken = await serveJwks(() => ({ status: 500, body: { oops: true } }));
      servers.push(broken.server);
      const closed = await serveJwks(() => ({ status: 200, body: {} }));
      await new Promise((resolve) => closed.server.close(resolve));
      for (const url of [broken.url, closed.url]) {
        const { app } = demoApp({ verifier: JwtVerifier.remote(url, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, timeoutMs: 1000 }) });
        const res = await requestTo(app).get('/me').set('Authorization', await tokens.bearer({ userId: USER })).expect(503);
        expect(res.headers['content-type']).to.match(PROBLEM);
        expect(res.body.code).to.equal('AUTH.KEYS_UNAVAILABLE');
        expect(res.headers['retry-after']).to.equal('5');
      }
    });

    it('an unknown kid with a reachable JWKS is a 401, not a 503', async () => {
      const tokens = await createTestTokens();
      const stranger = await createTestTokens();
      const jwks = await serveJwks(() => ({ status: 200, body: tokens.signer.jwks() }));
      servers.push(jwks.server);
      const { app } = demoApp({ verifier: JwtVerifier.remote(jwks.url, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE }) });
      const res = await requestTo(app).get('/me').set('Authorization', await stranger.bearer({ userId: USER })).expect(401);
      expect(res.body.code).to.equal('AUTH.TOKEN_INVALID');
    });
  });
});

describe('JwtVerifier cache of verified tokens', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  /** A verifier whose keys must be fetched again for every signature check, from a server the test can stop. */
  async function verifierThatRefetches(options: { cacheTtlMs?: number; now?: () => Date } = {}) {
    const tokens = await createTestTokens();
    const jwks = await serveJwks(() => ({ status: 200, body: tokens.signer.jwks() }));
    servers.push(jwks.server);
    const verifier = JwtVerifier.remote(jwks.url, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, cacheMaxAgeMs: 0, cooldownMs: 0, timeoutMs: 500, ...options });
    const stopKeys = () => new Promise((resolve) => jwks.server.close(resolve));
    return { tokens, verifier, jwks, stopKeys };
  }

  const codeOf = (promise: Promise<unknown>) => promise.then(() => 'verified', (error: { code?: string }) => error.code ?? String(error));

  it('trusts a token that verified again without checking its signature (no key fetch needed)', async () => {
    const { tokens, verifier, jwks, stopKeys } = await verifierThatRefetches();
    const token = await tokens.tokenFor({ userId: USER, role: 'organizer' });
    expect((await verifier.verify(token)).actor).to.deep.equal({ userId: USER, role: 'organizer' });
    const fetched = jwks.hits();
    await stopKeys();
    const again = await verifier.verify(token);
    expect(again.actor).to.deep.equal({ userId: USER, role: 'organizer' });
    expect(jwks.hits()).to.equal(fetched);
    expect(Object.isFrozen(again) && Object.isFrozen(again.actor), 'shared between requests, so not changeable').to.equal(true);
    // Another token (even with the same claims) is checked in full: the keys are gone now.
    expect(await codeOf(verifier.verify(await tokens.tokenFor({ userId: USER, role: 'organizer' })))).to.equal('AUTH.KEYS_UNAVAILABLE');
  });

  it('checks in full when the cache is off', async () => {
    const { tokens, verifier, stopKeys } = await verifierThatRefetches({ cacheTtlMs: 0 });
    const token = await tokens.tokenFor({ userId: USER });
    await verifier.verify(token);
    await stopKeys();
    expect(await codeOf(verifier.verify(token))).to.equal('AUTH.KEYS_UNAVAILABLE');
  });

  it('forgets a token after the cache time, and never trusts it past its expiry', async () => {
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    const { tokens, verifier } = await verifierThatRefetches({ cacheTtlMs: 60_000, now });
    const short = (await tokens.signer.sign({ sub: USER, role: 'attendee' }, 20)).token;
    await verifier.verify(short);
    offsetMs = 30_000; // past exp + tolerance, well within the cache time
    expect(await codeOf(verifier.verify(short))).to.equal('AUTH.TOKEN_EXPIRED');

    const { tokens: other, verifier: cached, stopKeys } = await verifierThatRefetches({ cacheTtlMs: 1000, now });
    offsetMs = 0;
    const long = await other.tokenFor({ userId: USER });
    await cached.verify(long);
    await stopKeys();
    offsetMs = 500;
    expect(await codeOf(cached.verify(long))).to.equal('verified');
    offsetMs = 1500;
    expect(await codeOf(cached.verify(long))).to.equal('AUTH.KEYS_UNAVAILABLE');
  });

  it('does not trust a tampered copy of a cached token', async () => {
    const { tokens, verifier } = await verifierThatRefetches();
    const token = await tokens.tokenFor({ userId: USER, role: 'attendee' });
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
    expect(await codeOf(verifier.verify(forged))).to.equal('AUTH.TOKEN_INVALID');
  });
});
