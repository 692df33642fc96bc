import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { loadApi } from '@macaron/core';
import Fastify from 'fastify';
import {
  CompactSign,
  type CryptoKey,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type BearerAuthOptions,
  type MacaronFastifyOptions,
  macaronFastify,
  type OperationHandlers,
} from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { call, serve } from './serve.js';

const issuer = 'https://issuer.example';
const audience = 'profiles-api';
const secret = 'a-test-secret-of-at-least-32-bytes!!';
const secretKey = new TextEncoder().encode(secret);

const spec = {
  openapi: '3.0.3',
  info: { title: 'auth', version: '1' },
  security: [{ bearerAuth: [] }],
  paths: {
    '/me': {
      get: {
        operationId: 'getMe',
        responses: {
          '200': {
            description: 'claims',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
      post: {
        operationId: 'postMe',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['name'] } } },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
    '/public': {
      get: { operationId: 'getPublic', security: [], responses: { '200': { description: 'ok' } } },
    },
    '/maybe': {
      get: {
        operationId: 'getMaybe',
        security: [{}, { bearerAuth: [] }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
  },
};

const handlers: OperationHandlers = {
  getMe: ({ auth }) => ({ sub: auth?.sub, scope: auth?.scope }),
  postMe: () => undefined,
  getPublic: () => undefined,
  getMaybe: ({ auth }) => ({ authenticated: auth !== undefined, sub: auth?.sub ?? null }),
};

const now = () => Math.floor(Date.now() / 1000);

// Valid claims for this API, overridden by `claims`.
function claimsWith(claims: JWTPayload, subject: string, scope: string): JWTPayload {
  return {
    sub: subject,
    scope,
    iss: issuer,
    aud: audience,
    iat: now(),
    exp: now() + 300,
    ...claims,
  };
}

async function hs256(
  claims: JWTPayload = {},
  options: { algorithm?: string; key?: Uint8Array } = {},
) {
  return new SignJWT(claimsWith(claims, 'user-1', 'read'))
    .setProtectedHeader({ alg: options.algorithm ?? 'HS256' })
    .sign(options.key ?? secretKey);
}

async function servedWith(auth: BearerAuthOptions, extra: Partial<MacaronFastifyOptions> = {}) {
  return serve({ api: await loadApi(spec), handlers, auth, ...extra });
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('bearer auth with an HS256 secret', () => {
  const auth: BearerAuthOptions = { secret, issuer, audience };

  it('hands the verified claims to the handler', async () => {
    const { url } = await servedWith(auth);
    const response = await call(`${url}/me`, bearer(await hs256()));
    expect([response.status, response.json]).toEqual([200, { sub: 'user-1', scope: 'read' }]);
  });

  it('with issuer: false, takes any issuer or none, as PyMacaron did; the rest is still checked', async () => {
    const { url } = await servedWith({ ...auth, issuer: false });
    for (const iss of ['another-service', undefined]) {
      const response = await call(`${url}/me`, bearer(await hs256({ iss })));
      expect([iss, response.status]).toEqual([iss, 200]);
    }
    const otherAudience = await call(`${url}/me`, bearer(await hs256({ aud: 'elsewhere' })));
    expect([otherAudience.status, otherAudience.json.error]).toEqual([401, 'TOKEN_INVALID']);
    // Left out (or empty), the issuer is still required: start-up says so.
    await expect(servedWith({ ...auth, issuer: '' })).rejects.toThrow('auth.issuer is required');
  });

  it('answers 401 AUTHORIZATION_HEADER_MISSING without a header, before reading the body', async () => {
    const { url } = await servedWith(auth);
    const get = await call(`${url}/me`);
    expect([get.status, get.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    const post = await call(`${url}/me`, { method: 'POST', body: '{not json' });
    expect([post.status, post.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
  });

  it('answers 401 TOKEN_EXPIRED past the clock tolerance, and accepts within it', async () => {
    const { url } = await servedWith(auth);
    const expired = await call(`${url}/me`, bearer(await hs256({ exp: now() - 120 })));
    expect([expired.status, expired.json.error]).toEqual([401, 'TOKEN_EXPIRED']);
    const late = await call(`${url}/me`, bearer(await hs256({ exp: now() - 10 })));
    expect(late.status).toBe(200);
    const strict = await servedWith({ ...auth, clockToleranceSeconds: 0 });
    const strictLate = await call(`${strict.url}/me`, bearer(await hs256({ exp: now() - 10 })));
    expect([strictLate.status, strictLate.json.error]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  it('answers 401 TOKEN_INVALID for a wrong secret, issuer, audience or a token not yet valid', async () => {
    const { url } = await servedWith(auth);
    const tokens = [
      await hs256({}, { key: new TextEncoder().encode('another-secret-of-at-least-32-bytes!') }),
      await hs256({ iss: 'https://evil.example' }),
      await hs256({ aud: 'another-api' }),
      await hs256({ nbf: now() + 600 }),
      await hs256({ iat: now() + 3600 }),
    ];
    for (const token of tokens) {
      const response = await call(`${url}/me`, bearer(token));
      expect([response.status, response.json.error]).toEqual([401, 'TOKEN_INVALID']);
    }
    // Within the clock tolerance (30 s by default), a token issued "soon" is accepted.
    const skewed = await call(`${url}/me`, bearer(await hs256({ iat: now() + 10 })));
    expect(skewed.status).toBe(200);
  });

  it('answers 401 TOKEN_INVALID for a time no number holds (exp 1e400 reads as Infinity)', async () => {
    const { url } = await servedWith(auth);
    for (const claim of ['exp', 'nbf', 'iat']) {
      const claims = JSON.stringify(claimsWith({ nbf: now() - 10 }, 'user-1', 'read')).replace(
        new RegExp(`"${claim}":\\d+`),
        `"${claim}":1e400`,
      );
      const token = await new CompactSign(new TextEncoder().encode(claims))
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secretKey);
      const response = await call(`${url}/me`, bearer(token));
      expect([response.status, response.json.error]).toEqual([401, 'TOKEN_INVALID']);
      // jose takes an nbf of Infinity for a token not yet valid; the others pass it.
      if (claim !== 'nbf')
        expect(response.json.error_description).toBe(`The token's ${claim} claim is not a time`);
    }
  });

  it('answers 401 TOKEN_INVALID for registered claims of the wrong type or a time beyond any date (RFC 7519 §4.1)', async () => {
    const { url } = await servedWith({ ...auth, issuer: false });
    // Signed as written: jose's SignJWT would refuse some of these values.
    const signed = (claims: Record<string, unknown>) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secretKey);
    const valid = claimsWith({ nbf: now() - 10 }, 'user-1', 'read');
    for (const [claims, description] of [
      [{ sub: { id: 'admin' } }, "The token's sub claim is not a string"],
      [{ sub: 5 }, "The token's sub claim is not a string"],
      [{ jti: 5 }, "The token's jti claim is not a string"],
      [{ iss: ['https://issuer.example'] }, "The token's iss claim is not a string"],
      [{ aud: [audience, 5] }, "The token's aud claim is not a string or a list of strings"],
      [{ exp: 1e300 }, "The token's exp claim is not a time"],
      [{ exp: 253402300800 }, "The token's exp claim is not a time"],
      [{ nbf: -1e300 }, "The token's nbf claim is not a time"],
      [{ iat: -1e300 }, "The token's iat claim is not a time"],
    ] as const) {
      const response = await call(`${url}/me`, bearer(await signed({ ...valid, ...claims })));
      expect([response.status, response.json, response.headers.get('www-authenticate')]).toEqual([
        401,
        { error: 'TOKEN_INVALID', error_description: description, status: 401 },
        'Bearer error="invalid_token"',
      ]);
    }
    // The limits themselves, a URI subject, string jti and a fractional time are taken.
    for (const claims of [
      { exp: 253402300799, sub: 'urn:example:user-1', jti: 'a1' },
      { exp: now() + 60.5, iat: -62135596800, nbf: 0, aud: [audience, 'other'] },
    ]) {
      const response = await call(`${url}/me`, bearer(await signed({ ...valid, ...claims })));
      expect(response.status).toBe(200);
    }
  });

  it("with compat: 'pymacaron', takes an integer sub as PyMacaron's generate_token wrote it, handed over as its decimal string", async () => {
    const { url } = await servedWith({ ...auth, issuer: false }, { compat: 'pymacaron' });
    const signed = (claims: Record<string, unknown>) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secretKey);
    const valid = claimsWith({}, 'user-1', 'read');
    const me = async (sub: unknown) => call(`${url}/me`, bearer(await signed({ ...valid, sub })));
    const answered = await me(42);
    expect([answered.status, answered.json]).toEqual([200, { sub: '42', scope: 'read' }]);
    // Not an integer a number holds exactly, nor another type: refused as without compat.
    for (const sub of [4.2, 2 ** 53, { id: 42 }]) expect((await me(sub)).status).toBe(401);
  });

  it('refuses a token spelled otherwise than its one base64url form (padding, unused bits), so its text names it', async () => {
    const { url } = await servedWith(auth);
    const token = await hs256();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // The signature is the one part of the text its own check does not cover.
    // Flips the lowest bit of the last character: one the decoded bytes leave unused.
    const flipped = (part: string) =>
      part.slice(0, -1) + alphabet[alphabet.indexOf(part.at(-1)!) ^ 1];
    expect(signature.length % 4).not.toBe(0);
    expect((await call(`${url}/me`, bearer(token))).status).toBe(200);
    for (const spelling of [
      `${token}=`,
      `${header}.${payload}.${signature}${'='.repeat(4 - (signature.length % 4))}`,
      `${header}.${payload}.${flipped(signature)}`,
    ]) {
      const response = await call(`${url}/me`, bearer(spelling));
      expect([response.status, response.json]).toEqual([
        401,
        { error: 'TOKEN_INVALID', error_description: 'The token is invalid', status: 401 },
      ]);
    }
  });

  it('answers 401 TOKEN_INVALID, naming the claim, for a token without exp', async () => {
    const { url } = await servedWith(auth);
    const { exp: _exp, ...withoutExpiry } = claimsWith({}, 'user-1', 'read');
    const eternal = await new SignJWT(withoutExpiry)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secretKey);
    const response = await call(`${url}/me`, bearer(eternal));
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      error: 'TOKEN_INVALID',
      error_description: 'The token has no exp claim',
      status: 401,
    });
    // The same claims with an expiry pass: the refusal is about exp alone.
    expect((await call(`${url}/me`, bearer(await hs256()))).status).toBe(200);
  });

  it('answers 401 TOKEN_INVALID for a malformed header or token', async () => {
    const { url } = await servedWith(auth);
    const token = await hs256();
    for (const header of [
      `Basic ${token}`,
      'Bearer',
      'Bearer not-a-jwt',
      `Bearer ${token} extra`,
      token,
    ]) {
      const response = await call(`${url}/me`, { headers: { authorization: header } });
      expect([response.status, response.json.error]).toEqual([401, 'TOKEN_INVALID']);
    }
  });

  it('takes any run of spaces and tabs between Bearer and the token, in any case, as PyMacaron split on whitespace', async () => {
    const { url } = await servedWith(auth);
    const token = await hs256();
    // Sent as written: each header line's bytes reach the server unchanged.
    const send = (header: string) =>
      rawRequest(url, httpRequest('GET', '/me', { headers: [`Authorization: ${header}`] }));
    for (const header of [
      `Bearer ${token}`,
      `bearer ${token}`,
      `Bearer  ${token}`,
      `Bearer\t${token}`,
      `BEARER\t\t${token}`,
      `Bearer \t ${token}\t`,
    ]) {
      const response = await send(header);
      expect([header, response.status, JSON.parse(response.text)]).toEqual([
        header,
        200,
        { sub: 'user-1', scope: 'read' },
      ]);
    }
    for (const header of [`Bearer${token}`, `Bearer\t${token}\textra`, `Bearer\t`]) {
      const response = await send(header);
      expect([header, response.status, JSON.parse(response.text).error]).toEqual([
        header,
        401,
        'TOKEN_INVALID',
      ]);
    }
  });

  it('challenges with WWW-Authenticate on every 401 of the token (RFC 6750 §3, RFC 9110 §11.6.1)', async () => {
    const { url } = await servedWith(auth);
    const challenge = async (headers: Record<string, string>) => {
      const response = await call(`${url}/me`, { headers });
      return [response.status, response.headers.get('www-authenticate')];
    };
    // No token given, or another scheme's credentials: a bare challenge, no error code (§3.1).
    expect(await challenge({})).toEqual([401, 'Bearer']);
    expect(await challenge({ authorization: 'Basic dXNlcjpwYXNz' })).toEqual([401, 'Bearer']);
    // A token given and refused: invalid_token, whatever is wrong with it, and nothing of it.
    for (const token of [
      await hs256({}, { key: new TextEncoder().encode('another-secret-of-at-least-32-bytes') }),
      await hs256({ exp: now() - 120 }),
      'not-a-jwt',
    ]) {
      expect(await challenge({ authorization: `Bearer ${token}` })).toEqual([
        401,
        'Bearer error="invalid_token"',
      ]);
    }
    expect(await challenge({ authorization: 'Bearer' })).toEqual([
      401,
      'Bearer error="invalid_token"',
    ]);
    // An admitted request, and one where the token is optional and absent, carry none.
    const admitted = await call(`${url}/me`, bearer(await hs256()));
    expect([admitted.status, admitted.headers.get('www-authenticate')]).toEqual([200, null]);
    const anonymous = await call(`${url}/maybe`);
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([200, null]);
  });

  it('refuses an alg:none token and a token signed with another algorithm', async () => {
    const { url } = await servedWith(auth);
    const unsecured = new UnsecuredJWT({ scope: 'read' })
      .setSubject('user-1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .encode();
    const hs512 = await hs256({}, { algorithm: 'HS512' });
    for (const token of [unsecured, hs512]) {
      const response = await call(`${url}/me`, bearer(token));
      expect([response.status, response.json.error]).toEqual([401, 'TOKEN_INVALID']);
    }
  });

  it('applies the spec: none for security [], optional for [{}, bearer]', async () => {
    const { url } = await servedWith(auth);
    expect((await call(`${url}/public`)).status).toBe(200);
    const anonymous = await call(`${url}/maybe`);
    expect([anonymous.status, anonymous.json]).toEqual([200, { authenticated: false, sub: null }]);
    const known = await call(`${url}/maybe`, bearer(await hs256()));
    expect([known.status, known.json]).toEqual([200, { authenticated: true, sub: 'user-1' }]);
    const forged = await call(`${url}/maybe`, bearer(`${await hs256()}x`));
    expect([forged.status, forged.json.error]).toEqual([401, 'TOKEN_INVALID']);
  });

  it('never shows the token to onError', async () => {
    const reported: unknown[] = [];
    const token = await hs256({ iss: 'https://evil.example' });
    const { url } = await servedWith(auth, {
      onError: (error, info) => {
        reported.push({
          error: { ...error, message: error.message, cause: String(error.cause) },
          info,
        });
      },
    });
    const response = await call(`${url}/me`, bearer(token));
    expect(response.status).toBe(401);
    expect(reported).toHaveLength(1);
    expect(JSON.stringify(reported)).not.toContain(token.split('.')[2]);
  });
});

describe('bearer auth with RS256 keys', () => {
  let privateKey: CryptoKey;
  let jwks: JSONWebKeySet;
  let otherPrivateKey: CryptoKey;
  let sameKeyForRs384: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    jwks = {
      keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }],
    };
    otherPrivateKey = (await generateKeyPair('RS256')).privateKey;
    // WebCrypto binds a key to one hash: the same RSA key, imported for RS384.
    const { alg: _alg, ...privateJwk } = await exportJWK(pair.privateKey);
    sameKeyForRs384 = (await importJWK(privateJwk, 'RS384')) as CryptoKey;
  });

  async function rs256(key: CryptoKey = privateKey, claims: JWTPayload = {}, algorithm = 'RS256') {
    return new SignJWT(claimsWith(claims, 'user-2', 'write'))
      .setProtectedHeader({ alg: algorithm, kid: 'key-1' })
      .sign(key);
  }

  it('verifies tokens against a local JWKS', async () => {
    const { url } = await servedWith({ jwks, issuer, audience });
    const response = await call(`${url}/me`, bearer(await rs256()));
    expect([response.status, response.json]).toEqual([200, { sub: 'user-2', scope: 'write' }]);
    const expired = await call(`${url}/me`, bearer(await rs256(privateKey, { exp: now() - 120 })));
    expect([expired.status, expired.json.error]).toEqual([401, 'TOKEN_EXPIRED']);
    // JSON leaves an undefined claim out: this token has no exp at all.
    const eternal = await call(`${url}/me`, bearer(await rs256(privateKey, { exp: undefined })));
    expect([eternal.status, eternal.json.error]).toEqual([401, 'TOKEN_INVALID']);
  });

  it('refuses a token signed by another key, with another RSA algorithm, or as HS256', async () => {
    const { url } = await servedWith({ jwks, issuer, audience });
    const publicAsSecret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const tokens = [
      await rs256(otherPrivateKey),
      await rs256(sameKeyForRs384, {}, 'RS384'),
      await hs256({}, { key: publicAsSecret }),
      await hs256(),
    ];
    for (const token of tokens) {
      const response = await call(`${url}/me`, bearer(token));
      expect([response.status, response.json.error]).toEqual([401, 'TOKEN_INVALID']);
    }
  });

  it('verifies a token that several keys of the JWKS match (no kid, or a kid listed twice), with the key that signed it', async () => {
    const rotated = (await generateKeyPair('RS256', { extractable: true })).publicKey;
    const current = jwks.keys[0]!;
    const previous = { ...(await exportJWK(rotated)), alg: 'RS256', use: 'sig' };
    const noKid = async (key: CryptoKey, claims: JWTPayload = {}) =>
      new SignJWT(claimsWith(claims, 'user-2', 'write'))
        .setProtectedHeader({ alg: 'RS256' })
        .sign(key);
    const { kid: _kid, ...currentWithoutKid } = current;
    for (const [keys, tokens] of [
      // Two keys without kid (a rotation), and the same kid on two keys.
      [[previous, currentWithoutKid], [await noKid(privateKey)]],
      [
        [{ ...previous, kid: 'key-1' }, current],
        [await rs256(), await noKid(privateKey)],
      ],
    ] as const) {
      const { url } = await servedWith({ jwks: { keys: [...keys] }, issuer, audience });
      for (const token of tokens) {
        const response = await call(`${url}/me`, bearer(token));
        expect([response.status, response.json]).toEqual([200, { sub: 'user-2', scope: 'write' }]);
      }
      // Signed by none of them, or expired: still refused, as such.
      const forged = await call(`${url}/me`, bearer(await noKid(otherPrivateKey)));
      expect([forged.status, forged.json.error]).toEqual([401, 'TOKEN_INVALID']);
      const expired = await call(
        `${url}/me`,
        bearer(await noKid(privateKey, { exp: now() - 120 })),
      );
      expect([expired.status, expired.json.error]).toEqual([401, 'TOKEN_EXPIRED']);
    }
  });

  it('tries 16 keys at most for one token: past them, the key set is at fault (500)', async () => {
    const keys = Array.from({ length: 17 }, () => ({ ...jwks.keys[0]! }));
    const reported: unknown[] = [];
    const { url } = await servedWith(
      { jwks: { keys }, issuer, audience },
      {
        onError: (error) => {
          reported.push(error.cause);
        },
      },
    );
    // Signed by the first key that fits: verified at once.
    const valid = await call(`${url}/me`, bearer(await rs256()));
    expect([valid.status, valid.json.sub]).toEqual([200, 'user-2']);
    const forged = await call(`${url}/me`, bearer(await rs256(otherPrivateKey)));
    expect([forged.status, forged.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(String(reported[0])).toContain('More than 16 keys of the JWKS fit the token');
  });

  it('refuses (401) a token that names no key where more than 16 keys of the JWKS fit it: anyone can send one', async () => {
    const { kid: _kid, ...unnamed } = jwks.keys[0]!;
    // Twenty keys, each with a kid of its own: a token with a kid finds its key at once.
    const keys = Array.from({ length: 20 }, (_, index) => ({
      ...unnamed,
      kid: `key-${index + 1}`,
    }));
    const { url } = await servedWith({ jwks: { keys }, issuer, audience });
    expect((await call(`${url}/me`, bearer(await rs256()))).status).toBe(200);
    const withoutKid = await new SignJWT(claimsWith({}, 'user-2', 'write'))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(otherPrivateKey);
    const forged = await call(`${url}/me`, bearer(withoutKid));
    expect([forged.status, forged.json.error, forged.headers.get('www-authenticate')]).toEqual([
      401,
      'TOKEN_INVALID',
      'Bearer error="invalid_token"',
    ]);
  });

  it('fetches a remote JWKS, and answers 500 when it cannot be fetched', async () => {
    const keys = Fastify();
    keys.get('/.well-known/jwks.json', async () => jwks);
    await keys.listen({ port: 0, host: '127.0.0.1' });
    const address = keys.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
    onTestFinished(() => keys.close());

    const remote = await servedWith({ jwks: jwksUrl, issuer, audience });
    const response = await call(`${remote.url}/me`, bearer(await rs256()));
    expect([response.status, response.json.sub]).toEqual([200, 'user-2']);
    const forged = await call(`${remote.url}/me`, bearer(await rs256(otherPrivateKey)));
    expect([forged.status, forged.json.error]).toEqual([401, 'TOKEN_INVALID']);

    const unreachable = await servedWith({
      jwks: `http://127.0.0.1:${address.port}/no-such-jwks.json`,
      issuer,
      audience,
    });
    const failed = await call(`${unreachable.url}/me`, bearer(await rs256()));
    expect([failed.status, failed.json.error]).toEqual([500, 'SERVER_ERROR']);
  });
  it('reads 1 MiB of a remote JWKS at most: a bigger one, declared, compressed, chunked or dripped, is 500 and not kept', async () => {
    const served = JSON.stringify(jwks);
    let mode: 'declared' | 'gzip' | 'chunked' | 'drip' | 'good' = 'declared';
    let written = 0;
    let fetches = 0;
    let lastClosed = Promise.resolve();
    const keys = createServer((_request, response) => {
      fetches += 1;
      lastClosed = new Promise((resolve) => response.once('close', resolve));
      if (mode === 'gzip') {
        // 8 MiB once decompressed, 8 KiB as sent.
        const body = gzipSync(served + ' '.repeat(8 * 1024 * 1024));
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(body);
        return;
      }
      if (mode === 'good' || mode === 'declared') {
        // A JWKS padded with JSON whitespace: a body any parser takes, of 8 MiB.
        const body = mode === 'good' ? served : served + ' '.repeat(8 * 1024 * 1024);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(body);
        return;
      }
      // No content-length: whitespace for ever, fast or a byte every 50 ms.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(served.slice(0, -1));
      const chunk = mode === 'chunked' ? ' '.repeat(64 * 1024) : ' ';
      const more = () => {
        if (response.destroyed) return;
        written += chunk.length;
        if (response.write(chunk)) setTimeout(more, mode === 'chunked' ? 0 : 50);
        else response.once('drain', more);
      };
      more();
    });
    await new Promise<void>((resolve) => keys.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      keys.closeAllConnections();
      keys.close();
    });
    const { port } = keys.address() as AddressInfo;
    const causes: unknown[] = [];
    const remote = await servedWith(
      { jwks: `http://127.0.0.1:${port}/.well-known/jwks.json`, issuer, audience },
      { onError: (error) => void causes.push(error.cause) },
    );
    const token = await rs256();
    const lastCause = () => String(causes.at(-1));

    for (const next of ['declared', 'gzip', 'chunked'] as const) {
      mode = next;
      written = 0;
      const response = await call(`${remote.url}/me`, bearer(token));
      expect([next, response.status, response.json.error]).toEqual([next, 500, 'SERVER_ERROR']);
      // Refused by the cap, not by the 5 s timeout: told by the cause, not by the clock, which
      // a loaded host slows down.
      expect([next, lastCause()]).toEqual([
        next,
        'RangeError: The JWKS is larger than 1048576 bytes: it is not read further',
      ]);
    }
    // The client hung up: the endless body stopped well before what it would have sent in 5 s.
    await lastClosed;
    const stopped = written;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(written).toBe(stopped);

    // A body that never ends slowly is still cut by the 5 s timeout.
    mode = 'drip';
    const started = Date.now();
    const dripped = await call(`${remote.url}/me`, bearer(token));
    expect([dripped.status, dripped.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(lastCause()).toBe('JWKSTimeout: request timed out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);

    // None of them was kept: the next token fetches again and gets the key set, kept as before.
    mode = 'good';
    fetches = 0;
    const response = await call(`${remote.url}/me`, bearer(token));
    expect([response.status, response.json.sub]).toEqual([200, 'user-2']);
    expect((await call(`${remote.url}/me`, bearer(token))).status).toBe(200);
    expect(fetches).toBe(1);
  });
});

describe('auth configuration', () => {
  async function register(options: Partial<MacaronFastifyOptions>) {
    const app = Fastify();
    onTestFinished(() => app.close());
    await app.register(macaronFastify, { api: await loadApi(spec), handlers, ...options });
    return app.ready();
  }

  it('fails at start-up when operations require a token and no auth is configured', async () => {
    await expect(register({})).rejects.toThrow(/GET \/me/);
  });

  it('refuses options that would let a token choose its algorithm', async () => {
    const invalid: BearerAuthOptions[] = [
      { secret, jwks: { keys: [] }, issuer, audience },
      { secret, issuer, audience, algorithms: ['none'] },
      { secret, issuer, audience, algorithms: ['RS256'] },
      { jwks: { keys: [] }, issuer, audience, algorithms: ['HS256'] },
      { secret, issuer: '', audience },
      { secret, issuer, audience: [] },
    ];
    for (const auth of invalid) await expect(register({ auth })).rejects.toThrow(TypeError);
  });

  it('refuses an algorithm name jose does not verify, such as one in lower case, naming it', async () => {
    // Taken, every token would be refused: a silent lock-out rather than a start-up error.
    for (const auth of [
      { jwks: { keys: [] }, issuer, audience, algorithms: ['rs256'] },
      { jwks: { keys: [] }, issuer, audience, algorithms: ['hs256'] },
      { jwks: { keys: [] }, issuer, audience, algorithms: ['RS256', 'RSA256'] },
      { secret, issuer, audience, algorithms: ['HS256 '] },
    ]) {
      const bad = auth.algorithms.at(-1)!;
      await expect(register({ auth })).rejects.toThrow(
        `auth.algorithms: ${JSON.stringify(bad)} is not a JWS algorithm`,
      );
    }
    await expect(
      register({ auth: { jwks: { keys: [] }, issuer, audience, algorithms: ['PS256', 'EdDSA'] } }),
    ).resolves.toBeDefined();
  });

  it('refuses a public key given as the secret: anyone could sign HS256 tokens with it (RFC 8725 §2.1)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const publicJwk = JSON.stringify(await exportJWK(publicKey));
    const certificate = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    for (const secret of [
      pem,
      `  ${pem}`,
      new TextEncoder().encode(pem),
      publicJwk,
      JSON.stringify({ keys: [JSON.parse(publicJwk)] }),
      certificate,
    ]) {
      const message = await register({ auth: { secret, issuer, audience } }).then(
        () => 'registered',
        (caught: unknown) => (caught instanceof TypeError ? caught.message : String(caught)),
      );
      expect(message).toMatch(/^auth\.secret is a public key/);
      expect(message).not.toContain(pem.split('\n')[1]);
    }
    // A private key's bytes, or any other long random secret, are still secrets.
    const privatePem = await exportPKCS8(privateKey);
    await expect(
      register({ auth: { secret: privatePem, issuer, audience } }),
    ).resolves.toBeDefined();
    await expect(
      register({ auth: { secret: JSON.stringify(await exportJWK(privateKey)), issuer, audience } }),
    ).resolves.toBeDefined();
  });

  it('refuses a JWKS object holding a private or secret key, naming neither: jose would answer every token 500, and a verifier has no use for a signing key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'signing' };
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'verifying' };
    const octJwk = { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA', kid: 'hmac' };
    for (const keys of [[privateJwk], [publicJwk, privateJwk], [octJwk]]) {
      const message = await register({
        auth: { jwks: { keys }, issuer, audience, algorithms: ['ES256'] },
      }).then(
        () => 'registered',
        (caught: unknown) => (caught instanceof TypeError ? caught.message : String(caught)),
      );
      expect(message).toMatch(/^auth\.jwks holds a private or secret key/);
      expect(message).not.toContain(privateJwk.d);
      expect(message).not.toContain(octJwk.k);
    }
    await expect(
      register({ auth: { jwks: { keys: [publicJwk] }, issuer, audience, algorithms: ['ES256'] } }),
    ).resolves.toBeDefined();
  });

  it('refuses a JWKS URL that cannot be fetched over HTTP(S), naming the option, not the URL', async () => {
    // Taken, every request would answer 500: a start-up error instead.
    for (const jwks of [
      'file:///etc/jwks.json',
      'ftp://keys.example/jwks.json',
      'data:application/json,{"keys":[]}',
      new URL('https://user:secret-password@keys.example/jwks.json'),
      'keys.example/jwks.json',
    ]) {
      const message = await register({ auth: { jwks, issuer, audience } }).then(
        () => 'registered',
        (caught: unknown) => (caught instanceof TypeError ? caught.message : String(caught)),
      );
      expect(message).toMatch(/^auth\.jwks /);
      expect(message).not.toContain('secret-password');
    }
    await expect(
      register({ auth: { jwks: 'https://keys.example/jwks.json', issuer, audience } }),
    ).resolves.toBeDefined();
  });

  it('says whether neither or both of secret and jwks were given (an empty secret is none)', async () => {
    const failure = async (auth: BearerAuthOptions) => {
      const error = await register({ auth }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      return (error as TypeError).message;
    };
    const neither = /^auth needs a secret \(HS256\) or a jwks, and has neither/;
    expect(await failure({ issuer, audience })).toMatch(neither);
    expect(await failure({ secret: '', issuer, audience })).toMatch(
      /^auth needs a secret \(HS256\) or a jwks, and has neither: auth\.secret is empty$/,
    );
    expect(await failure({ secret: '', jwks: '', issuer, audience })).toMatch(neither);
    const both = /^auth needs a secret \(HS256\) or a jwks, not both/;
    expect(await failure({ secret, jwks: { keys: [] }, issuer, audience })).toMatch(both);
    // An empty secret beside a jwks is no secret: the jwks alone is used.
    await expect(
      register({ auth: { secret: '', jwks: { keys: [] }, issuer, audience } }),
    ).resolves.toBeDefined();
  });

  it('refuses a secret shorter than its algorithms need (RFC 7518 §3.2), naming the option', async () => {
    const bytes = (length: number) => 'k'.repeat(length);
    const short: BearerAuthOptions[] = [
      { secret: bytes(31), issuer, audience },
      { secret: new Uint8Array(16), issuer, audience },
      { secret: bytes(47), issuer, audience, algorithms: ['HS384'] },
      { secret: bytes(63), issuer, audience, algorithms: ['HS256', 'HS512'] },
      // Bytes, not characters: 16 two-byte characters are 32 bytes, 15 are not enough.
      { secret: 'é'.repeat(15), issuer, audience },
    ];
    for (const auth of short) {
      const failure = await register({ auth }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TypeError);
      expect((failure as TypeError).message).toMatch(
        /^auth\.secret is \d+ bytes;.*auth\.allowShortSecret/,
      );
    }
    const longEnough: BearerAuthOptions[] = [
      { secret: bytes(32), issuer, audience },
      { secret: new Uint8Array(32), issuer, audience },
      { secret: 'é'.repeat(16), issuer, audience },
      { secret: bytes(64), issuer, audience, algorithms: ['HS256', 'HS512'] },
    ];
    for (const auth of longEnough) await expect(register({ auth })).resolves.toBeDefined();
  });

  it('never puts the secret in the error about its length', async () => {
    const legacy = 'legacy-secret-value';
    const failure = await register({ auth: { secret: legacy, issuer, audience } }).catch(
      (error: unknown) => error,
    );
    expect((failure as TypeError).message).not.toContain(legacy);
  });
});

describe('a legacy short secret, with allowShortSecret', () => {
  const legacySecret = 'short-legacy-secret';
  const legacyKey = new TextEncoder().encode(legacySecret);

  it('verifies tokens signed with it, and still refuses others and tokens without exp', async () => {
    const { url } = await servedWith({
      secret: legacySecret,
      allowShortSecret: true,
      issuer,
      audience,
    });
    const signed = await call(`${url}/me`, bearer(await hs256({}, { key: legacyKey })));
    expect([signed.status, signed.json]).toEqual([200, { sub: 'user-1', scope: 'read' }]);
    const forged = await call(`${url}/me`, bearer(await hs256()));
    expect([forged.status, forged.json.error]).toEqual([401, 'TOKEN_INVALID']);
    const { exp: _exp, ...withoutExpiry } = claimsWith({}, 'user-1', 'read');
    const eternal = await new SignJWT(withoutExpiry)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(legacyKey);
    const refused = await call(`${url}/me`, bearer(eternal));
    expect([refused.status, refused.json.error]).toEqual([401, 'TOKEN_INVALID']);
  });

  it('still refuses an empty secret', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    const auth = { secret: '', allowShortSecret: true, issuer, audience };
    const registered = (async () => {
      await app.register(macaronFastify, { api: await loadApi(spec), handlers, auth });
      await app.ready();
    })();
    await expect(registered).rejects.toThrow(/auth\.secret is empty/);
  });
});
