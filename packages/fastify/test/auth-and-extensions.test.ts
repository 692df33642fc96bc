import { createServer, type Server } from 'node:http';
import cors from '@fastify/cors';
import { loadApi, MacaronError } from '@macaron/core';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  type MacaronFastifyOptions,
  macaronFastify,
  type OperationHandlers,
  type SecurityContext,
} from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { call } from './serve.js';

// Over real sockets: the adapter's documented bearer auth (JWKS served on 127.0.0.1),
// securityHandlers, decorators, CORS and response options.

const issuer = 'https://issuer.example';
const audience = 'extensions-api';
const secret = 'extensions-secret-of-at-least-32-bytes';
const secretKey = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

async function serveApp(
  options: MacaronFastifyOptions,
  before?: (app: FastifyInstance) => Promise<void>,
): Promise<string> {
  const app = Fastify();
  onTestFinished(() => app.close());
  if (before) await before(app);
  await app.register(macaronFastify, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

// A JWKS endpoint of node:http whose answer a test changes, counting its requests.
interface KeyServer {
  url: string;
  hits: number;
  answer: (response: import('node:http').ServerResponse) => void;
}
async function keyServer(initial: JSONWebKeySet): Promise<KeyServer> {
  const state: KeyServer = {
    url: '',
    hits: 0,
    answer: (response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(initial));
    },
  };
  const server: Server = createServer((_request, response) => {
    state.hits += 1;
    state.answer(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  state.url = `http://127.0.0.1:${address.port}/jwks.json`;
  return state;
}

const ok = (schema: unknown = {}) => ({
  '200': { description: 'ok', content: { 'application/json': { schema } } },
});

const bearerSpec = {
  openapi: '3.0.3',
  info: { title: 'extensions', version: '1' },
  security: [{ bearerAuth: [] }],
  paths: {
    '/me': { get: { operationId: 'getMe', responses: ok({ type: 'object' }) } },
    '/open': { get: { operationId: 'getOpen', security: [], responses: ok() } },
    '/empty': { get: { operationId: 'getEmpty', security: [{}], responses: ok() } },
  },
  components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
};
const bearerHandlers: OperationHandlers = {
  getMe: ({ auth }) => ({ sub: auth?.sub ?? null }),
  getOpen: () => ({ open: true }),
  getEmpty: () => ({ open: true }),
};

function claims(extra: JWTPayload = {}): JWTPayload {
  return { sub: 'u1', iss: issuer, aud: audience, iat: now(), exp: now() + 300, ...extra };
}
const hs = (extra: JWTPayload = {}, alg = 'HS256', key: Uint8Array = secretKey) =>
  new SignJWT(claims(extra)).setProtectedHeader({ alg }).sign(key);
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('JWKS fetched from a URL', () => {
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let rsa2: { privateKey: CryptoKey; publicKey: CryptoKey };
  let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
  let rsaJwk: Record<string, unknown>;
  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    rsa2 = await generateKeyPair('RS256', { extractable: true });
    ec = await generateKeyPair('ES256', { extractable: true });
    rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const sign = (key: CryptoKey, alg: string, kid: string, extra: JWTPayload = {}) =>
    new SignJWT(claims(extra)).setProtectedHeader({ alg, kid }).sign(key);

  it('fetches the key set once and caches it across requests', async () => {
    const keys = await keyServer({ keys: [rsaJwk] });
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: keys.url, issuer, audience },
    });
    for (let i = 0; i < 3; i++) {
      const response = await call(`${url}/me`, bearer(await sign(rsa.privateKey, 'RS256', 'k1')));
      expect([response.status, response.json]).toEqual([200, { sub: 'u1' }]);
    }
    expect(keys.hits).toBe(1);
  });

  it('accepts a JWKS given as a URL object', async () => {
    const keys = await keyServer({ keys: [rsaJwk] });
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: new URL(keys.url), issuer, audience },
    });
    const response = await call(`${url}/me`, bearer(await sign(rsa.privateKey, 'RS256', 'k1')));
    expect(response.status).toBe(200);
  });

  it('refetches for an unknown kid after a cooldown only; before it, the rotated key is 401, never a 500', async () => {
    const keys = await keyServer({ keys: [rsaJwk] });
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: keys.url, issuer, audience },
    });
    expect(
      (await call(`${url}/me`, bearer(await sign(rsa.privateKey, 'RS256', 'k1')))).status,
    ).toBe(200);
    const rotated = { ...(await exportJWK(rsa2.publicKey)), kid: 'k2', alg: 'RS256' };
    keys.answer = (response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [rsaJwk, rotated] }));
    };
    // Within jose's cooldown (30 s) an unknown kid does not refetch: a flood of made-up kids
    // cannot hammer the key server.
    for (const kid of ['k2', 'k3', 'k4']) {
      const early = await call(`${url}/me`, bearer(await sign(rsa2.privateKey, 'RS256', kid)));
      expect([early.status, early.json.error]).toEqual([401, 'TOKEN_INVALID']);
    }
    expect(keys.hits).toBe(1);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    const late = await call(`${url}/me`, bearer(await sign(rsa2.privateKey, 'RS256', 'k2')));
    expect([late.status, late.json]).toEqual([200, { sub: 'u1' }]);
    expect(keys.hits).toBe(2);
  });

  it('answers 500 SERVER_ERROR when the key server answers garbage, an empty set, 404, or is down', async () => {
    const token = await sign(rsa.privateKey, 'RS256', 'k1');
    const answers: [string, KeyServer['answer']][] = [
      ['not json', (r) => r.end('<html>oops</html>')],
      ['no keys member', (r) => r.end('{"nokeys":[]}')],
      [
        '404',
        (r) => {
          r.statusCode = 404;
          r.end('{}');
        },
      ],
      ['keys not a list', (r) => r.end('{"keys":{"kid":"k1"}}')],
    ];
    for (const [label, answer] of answers) {
      const keys = await keyServer({ keys: [] });
      keys.answer = answer;
      const url = await serveApp({
        api: await loadApi(bearerSpec),
        handlers: bearerHandlers,
        auth: { jwks: keys.url, issuer, audience },
      });
      const response = await call(`${url}/me`, bearer(token));
      expect([label, response.status, response.json.error]).toEqual([label, 500, 'SERVER_ERROR']);
    }
    // A key set without the token's key is the token's fault: 401.
    const empty = await keyServer({ keys: [] });
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: empty.url, issuer, audience },
    });
    const noKey = await call(`${url}/me`, bearer(token));
    expect([noKey.status, noKey.json.error]).toEqual([401, 'TOKEN_INVALID']);
    // Down: nothing listens on the port any more.
    const down = await keyServer({ keys: [rsaJwk] });
    const downUrl = down.url;
    const served = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: downUrl.replace(/:\d+\//, ':1/'), issuer, audience },
    });
    const refused = await call(`${served}/me`, bearer(token));
    expect([refused.status, refused.json.error]).toEqual([500, 'SERVER_ERROR']);
  });

  it('answers 500 when the key server never answers, after the 5 s timeout of jose', async () => {
    const keys = await keyServer({ keys: [] });
    keys.answer = () => undefined; // holds the request
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: keys.url, issuer, audience },
    });
    const started = Date.now();
    const response = await call(`${url}/me`, bearer(await sign(rsa.privateKey, 'RS256', 'k1')));
    expect([response.status, response.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
  });

  it('never lets the key server failure admit a request, and never shows the token in the reply', async () => {
    const keys = await keyServer({ keys: [] });
    keys.answer = (r) => r.end('garbage');
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: keys.url, issuer, audience },
    });
    const token = await sign(rsa.privateKey, 'RS256', 'k1');
    const response = await call(`${url}/me`, bearer(token));
    expect(response.status).toBe(500);
    expect(response.text).not.toContain(token.split('.')[2]);
  });

  it('takes ES256 only when algorithms says so; RS256 by default refuses an ES256 token', async () => {
    const ecJwk = { ...(await exportJWK(ec.publicKey)), kid: 'e1' };
    const keys = await keyServer({ keys: [rsaJwk, ecJwk] });
    const api = await loadApi(bearerSpec);
    const token = await sign(ec.privateKey, 'ES256', 'e1');
    const byDefault = await serveApp({
      api,
      handlers: bearerHandlers,
      auth: { jwks: keys.url, issuer, audience },
    });
    const refused = await call(`${byDefault}/me`, bearer(token));
    expect([refused.status, refused.json.error]).toEqual([401, 'TOKEN_INVALID']);
    const es = await serveApp({
      api,
      handlers: bearerHandlers,
      auth: { jwks: keys.url, issuer, audience, algorithms: ['ES256'] },
    });
    expect((await call(`${es}/me`, bearer(token))).status).toBe(200);
    // ...and then an RS256 token is not.
    const rs = await call(`${es}/me`, bearer(await sign(rsa.privateKey, 'RS256', 'k1')));
    expect([rs.status, rs.json.error]).toEqual([401, 'TOKEN_INVALID']);
  });

  it('refuses alg none and HS256 signed with the public key (as JWK or PEM text) against a JWKS', async () => {
    const keys = await keyServer({ keys: [rsaJwk] });
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { jwks: keys.url, issuer, audience },
    });
    const { createPublicKey } = await import('node:crypto');
    const pem = createPublicKey({ key: rsaJwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    }) as string;
    const tokens = [
      new UnsecuredJWT(claims()).encode(),
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .sign(new TextEncoder().encode(JSON.stringify(rsaJwk))),
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
        .sign(new TextEncoder().encode(pem)),
    ];
    for (const token of tokens) {
      const response = await call(`${url}/me`, bearer(token));
      expect([response.status, response.json.error]).toEqual([401, 'TOKEN_INVALID']);
    }
  });

  it('refuses an algorithms option of HS with a jwks in any case spelling, or RS with a secret', async () => {
    const api = await loadApi(bearerSpec);
    for (const auth of [
      { jwks: { keys: [rsaJwk] }, issuer, audience, algorithms: ['hs256'] },
      { jwks: { keys: [rsaJwk] }, issuer, audience, algorithms: ['rs256'] },
      { secret, issuer, audience, algorithms: ['RS256'] },
      { secret, issuer, audience, algorithms: ['none'] },
    ]) {
      const app = Fastify();
      const error = await app
        .register(macaronFastify, { api, handlers: bearerHandlers, auth })
        .ready()
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      await app.close().catch(() => undefined);
      expect([auth.algorithms, error]).toEqual([auth.algorithms, expect.any(TypeError)]);
    }
  });
});

describe('claims: exp, nbf, iat, iss, aud', () => {
  async function served(auth: Partial<MacaronFastifyOptions['auth'] & object> = {}) {
    return serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { secret, issuer, audience, ...auth },
    });
  }
  const status = async (url: string, token: string) => {
    const response = await call(`${url}/me`, bearer(token));
    return [response.status, response.json?.error ?? null];
  };

  it('the default tolerance is 30 s for exp, nbf and iat', async () => {
    const url = await served();
    expect(await status(url, await hs({ exp: now() - 20 }))).toEqual([200, null]);
    expect(await status(url, await hs({ exp: now() - 40 }))).toEqual([401, 'TOKEN_EXPIRED']);
    expect(await status(url, await hs({ nbf: now() + 20 }))).toEqual([200, null]);
    expect(await status(url, await hs({ nbf: now() + 40 }))).toEqual([401, 'TOKEN_INVALID']);
    expect(await status(url, await hs({ iat: now() + 20 }))).toEqual([200, null]);
    expect(await status(url, await hs({ iat: now() + 40 }))).toEqual([401, 'TOKEN_INVALID']);
  });

  it('clockToleranceSeconds: 0 refuses any skew; a larger one takes it', async () => {
    const strict = await served({ clockToleranceSeconds: 0 });
    expect(await status(strict, await hs({ exp: now() - 2 }))).toEqual([401, 'TOKEN_EXPIRED']);
    expect(await status(strict, await hs({ nbf: now() + 5 }))).toEqual([401, 'TOKEN_INVALID']);
    expect(await status(strict, await hs({ iat: now() + 5 }))).toEqual([401, 'TOKEN_INVALID']);
    const loose = await served({ clockToleranceSeconds: 600 });
    expect(await status(loose, await hs({ exp: now() - 500 }))).toEqual([200, null]);
    expect(await status(loose, await hs({ nbf: now() + 500 }))).toEqual([200, null]);
  });

  it('a negative or non-finite clockToleranceSeconds fails registration', async () => {
    for (const clockToleranceSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const app = Fastify();
      onTestFinished(() => app.close());
      await expect(
        app
          .register(macaronFastify, {
            api: await loadApi(bearerSpec),
            handlers: bearerHandlers,
            auth: { secret, issuer, audience, clockToleranceSeconds },
          })
          .ready(),
      ).rejects.toThrow(/clockToleranceSeconds/);
    }
  });

  it('exp, nbf, iat of the wrong type are refused', async () => {
    const url = await served();
    for (const extra of [{ exp: String(now() + 300) }, { nbf: 'soon' }, { iat: 'now' }]) {
      expect(await status(url, await hs(extra as unknown as JWTPayload))).toEqual([
        401,
        'TOKEN_INVALID',
      ]);
    }
  });

  it('issuer and audience lists: any one listed; a token aud list sharing one is taken', async () => {
    const url = await served({
      issuer: [issuer, 'https://other.example'],
      audience: [audience, 'second'],
    });
    expect(await status(url, await hs({ iss: 'https://other.example' }))).toEqual([200, null]);
    expect(await status(url, await hs({ aud: ['x', 'second'] }))).toEqual([200, null]);
    expect(await status(url, await hs({ iss: 'https://evil.example' }))).toEqual([
      401,
      'TOKEN_INVALID',
    ]);
    expect(await status(url, await hs({ aud: ['x', 'y'] }))).toEqual([401, 'TOKEN_INVALID']);
    expect(await status(url, await hs({ aud: undefined }))).toEqual([401, 'TOKEN_INVALID']);
    expect(await status(url, await hs({ iss: undefined }))).toEqual([401, 'TOKEN_INVALID']);
  });

  it('an empty issuer or audience (string or list) fails registration', async () => {
    for (const auth of [
      { secret, issuer: '', audience },
      { secret, issuer, audience: '' },
      { secret, issuer, audience: [] },
      { secret, issuer: [], audience },
    ]) {
      const app = Fastify();
      onTestFinished(() => app.close());
      await expect(
        app
          .register(macaronFastify, {
            api: await loadApi(bearerSpec),
            handlers: bearerHandlers,
            auth: auth as never,
          })
          .ready(),
      ).rejects.toThrow(TypeError);
    }
  });

  it('HS384 and HS512 tokens are refused under the HS256 default', async () => {
    const long = new TextEncoder().encode(secret.repeat(3));
    const url = await served({ secret: secret.repeat(3) });
    expect(await status(url, await hs({}, 'HS384', long))).toEqual([401, 'TOKEN_INVALID']);
    expect(await status(url, await hs({}, 'HS512', long))).toEqual([401, 'TOKEN_INVALID']);
    expect(await status(url, await hs({}, 'HS256', long))).toEqual([200, null]);
  });
});

describe('where the token is read', () => {
  it('outside compat, a token cookie is never read; in compat the header wins over the cookie', async () => {
    const token = await hs();
    const plain = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { secret, issuer, audience },
    });
    const cookieOnly = await call(`${plain}/me`, { headers: { cookie: `token=${token}` } });
    expect([cookieOnly.status, cookieOnly.json.error]).toEqual([
      401,
      'AUTHORIZATION_HEADER_MISSING',
    ]);

    const compat = await serveApp({
      api: await loadApi(bearerSpec, { compat: 'pymacaron' }),
      handlers: bearerHandlers,
      compat: 'pymacaron',
      auth: { secret, issuer, audience },
    });
    const viaCookie = await call(`${compat}/me`, { headers: { cookie: `token=${token}` } });
    expect(viaCookie.status).toBe(200);
    // A forged header beside a good cookie: the header is the token, refused.
    const forged = await call(`${compat}/me`, {
      headers: { authorization: `Bearer ${token}x`, cookie: `token=${token}` },
    });
    expect([forged.status, forged.json.error]).toEqual([401, 'TOKEN_INVALID']);
    // A forged cookie is refused too.
    const badCookie = await call(`${compat}/me`, { headers: { cookie: `token=${token}x` } });
    expect([badCookie.status, badCookie.json.error]).toEqual([401, 'TOKEN_INVALID']);
  });

  it('an optional token ([{}, bearer]) is verified when present, from the header or, in compat, the cookie', async () => {
    const spec = {
      ...bearerSpec,
      paths: {
        '/maybe': {
          get: {
            operationId: 'getMe',
            security: [{}, { bearerAuth: [] }],
            responses: ok({ type: 'object' }),
          },
        },
      },
    };
    const url = await serveApp({
      api: await loadApi(spec, { compat: 'pymacaron' }),
      handlers: { getMe: bearerHandlers.getMe! },
      compat: 'pymacaron',
      auth: { secret, issuer, audience },
    });
    const token = await hs();
    expect((await call(`${url}/maybe`)).json).toEqual({ sub: null });
    expect((await call(`${url}/maybe`, bearer(token))).json).toEqual({ sub: 'u1' });
    expect((await call(`${url}/maybe`, { headers: { cookie: `token=${token}` } })).json).toEqual({
      sub: 'u1',
    });
    expect((await call(`${url}/maybe`, bearer(`${token}x`))).status).toBe(401);
    expect((await call(`${url}/maybe`, { headers: { cookie: `token=${token}x` } })).status).toBe(
      401,
    );
  });

  it('in compat, /auth/version and its HEAD are behind the token', async () => {
    const url = await serveApp({
      api: await loadApi(bearerSpec, { compat: 'pymacaron' }),
      handlers: bearerHandlers,
      compat: 'pymacaron',
      auth: { secret, issuer, audience },
    });
    expect((await call(`${url}/auth/version`)).status).toBe(401);
    expect((await rawRequest(url, httpRequest('HEAD', '/auth/version'))).status).toBe(401);
    expect((await call(`${url}/auth/version`, bearer(await hs()))).status).toBe(200);
  });

  it('in compat, the default leeway is 300 s', async () => {
    const url = await serveApp({
      api: await loadApi(bearerSpec, { compat: 'pymacaron' }),
      handlers: bearerHandlers,
      compat: 'pymacaron',
      auth: { secret, issuer, audience },
    });
    expect((await call(`${url}/me`, bearer(await hs({ exp: now() - 250 })))).status).toBe(200);
    expect((await call(`${url}/me`, bearer(await hs({ exp: now() - 350 })))).status).toBe(401);
  });

  it('HEAD of a GET behind a token is behind it too', async () => {
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { secret, issuer, audience },
    });
    const head = await rawRequest(url, httpRequest('HEAD', '/me'));
    expect(head.status).toBe(401);
    const withToken = await rawRequest(
      url,
      httpRequest('HEAD', '/me', { headers: [`Authorization: Bearer ${await hs()}`] }),
    );
    expect(withToken.status).toBe(200);
  });

  it('security: [] and security: [{}] override the document security: no token asked', async () => {
    const url = await serveApp({
      api: await loadApi(bearerSpec),
      handlers: bearerHandlers,
      auth: { secret, issuer, audience },
    });
    expect((await call(`${url}/open`)).status).toBe(200);
    expect((await call(`${url}/empty`)).status).toBe(200);
    expect((await call(`${url}/me`)).status).toBe(401);
  });

  it('a spec GET /ping behind a token, handed over from the default, keeps the token check', async () => {
    const ping = await loadApi({
      openapi: '3.0.3',
      info: { title: 'ping', version: '1' },
      security: [{ bearerAuth: [] }],
      paths: { '/ping': { get: { operationId: 'ping', responses: ok() } } },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    });
    const url = await serveApp(
      {
        api: ping,
        handlers: { ping: () => ({ pong: true }) },
        auth: { secret, issuer, audience },
      },
      async (app) => {
        await app.register(macaronFastify, {
          api: await loadApi(bearerSpec),
          handlers: bearerHandlers,
          auth: { secret, issuer, audience },
        });
      },
    );
    const refused = await call(`${url}/ping`);
    expect([refused.status, refused.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    const head = await rawRequest(url, httpRequest('HEAD', '/ping'));
    expect(head.status).toBe(401);
    expect((await call(`${url}/ping`, bearer(await hs()))).json).toEqual({ pong: true });
  });
});

class KeyRefused extends MacaronError {
  static override code = 'KEY_REFUSED';
  static override status = 401;
}

describe('securityHandlers: apiKey in header, query, cookie; OR and AND', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'keys', version: '1' },
    security: [{ headerKey: [] }],
    paths: {
      '/h': { get: { operationId: 'h', responses: ok() } },
      '/q': {
        get: {
          operationId: 'q',
          security: [{ queryKey: [] }],
          parameters: [{ name: 'x', in: 'query', schema: { type: 'string' } }],
          responses: ok(),
        },
      },
      '/c': { get: { operationId: 'c', security: [{ cookieKey: [] }], responses: ok() } },
      '/and': {
        post: {
          operationId: 'and',
          security: [{ headerKey: [], queryKey: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          responses: ok(),
        },
      },
      '/or': {
        get: {
          operationId: 'or',
          security: [{ headerKey: [] }, { cookieKey: [] }],
          responses: ok(),
        },
      },
      '/free': { get: { operationId: 'free', security: [], responses: ok() } },
    },
    components: {
      securitySchemes: {
        headerKey: { type: 'apiKey', in: 'header', name: 'X-Key' },
        queryKey: { type: 'apiKey', in: 'query', name: 'key' },
        cookieKey: { type: 'apiKey', in: 'cookie', name: 'sid' },
      },
    },
  };
  let bodiesRead = 0;
  const handlers: OperationHandlers = {
    h: () => ({ via: 'h' }),
    q: ({ query }) => ({ query }),
    c: () => ({ via: 'c' }),
    and: ({ body }) => {
      bodiesRead += 1;
      return { body };
    },
    or: () => ({ via: 'or' }),
    free: () => ({ via: 'free' }),
  };
  const calls: string[] = [];
  const securityHandlers = {
    headerKey: ({ request }: SecurityContext) => {
      calls.push('header');
      if (request.headers['x-key'] !== 'hk') throw new KeyRefused('header key');
    },
    queryKey: ({ request }: SecurityContext) => {
      calls.push('query');
      if ((request.query as Record<string, unknown>).key !== 'qk')
        throw new KeyRefused('query key');
    },
    cookieKey: ({ request }: SecurityContext) => {
      calls.push('cookie');
      if (!/(^|;\s*)sid=ck(;|$)/.test(request.headers.cookie ?? ''))
        throw new KeyRefused('cookie key');
    },
  };
  async function start() {
    calls.length = 0;
    return serveApp({ api: await loadApi(spec), handlers, securityHandlers });
  }

  it('an apiKey in a header, the query or a cookie is checked by its handler', async () => {
    const url = await start();
    expect((await call(`${url}/h`, { headers: { 'x-key': 'hk' } })).status).toBe(200);
    expect((await call(`${url}/h`, { headers: { 'x-key': 'no' } })).json.error).toBe('KEY_REFUSED');
    expect((await call(`${url}/h`)).status).toBe(401);
    expect((await call(`${url}/q?key=qk`)).status).toBe(200);
    expect((await call(`${url}/q?key=no`)).status).toBe(401);
    expect((await call(`${url}/c`, { headers: { cookie: 'a=1; sid=ck' } })).status).toBe(200);
    expect((await call(`${url}/c`, { headers: { cookie: 'sid=no' } })).status).toBe(401);
  });

  it('the query key is a credential, not a parameter the handler sees as undeclared', async () => {
    const url = await start();
    const response = await call(`${url}/q?key=qk&x=1`);
    expect([response.status, response.json]).toEqual([200, { query: { x: '1' } }]);
  });

  it('AND: every scheme of the alternative must pass, before the body is read', async () => {
    const url = await start();
    bodiesRead = 0;
    const both = await call(`${url}/and?key=qk`, {
      method: 'POST',
      headers: { 'x-key': 'hk' },
      body: { a: 1 },
    });
    expect(both.status).toBe(200);
    for (const [target, headers] of [
      ['/and?key=qk', {}],
      ['/and?key=no', { 'x-key': 'hk' }],
    ] as const) {
      const response = await call(`${url}${target}`, {
        method: 'POST',
        headers,
        body: 'not json at all',
      });
      // Refused by the key, not by the body (never read).
      expect([target, response.status, response.json.error]).toEqual([target, 401, 'KEY_REFUSED']);
    }
    expect(bodiesRead).toBe(1);
  });

  it('OR: either alternative admits; with neither, the first refusal answers', async () => {
    const url = await start();
    expect((await call(`${url}/or`, { headers: { 'x-key': 'hk' } })).status).toBe(200);
    expect((await call(`${url}/or`, { headers: { cookie: 'sid=ck' } })).status).toBe(200);
    calls.length = 0;
    const neither = await call(`${url}/or`);
    expect([neither.status, neither.json.error_description]).toEqual([401, 'header key']);
    expect(calls).toEqual(['header', 'cookie']);
  });

  it('security: [] runs no handler', async () => {
    const url = await start();
    expect((await call(`${url}/free`)).status).toBe(200);
    expect(calls).toEqual([]);
  });

  it('a handler that throws a plain Error or returns a value answers 500, never admits', async () => {
    const url = await serveApp({
      api: await loadApi(spec),
      handlers,
      securityHandlers: {
        ...securityHandlers,
        headerKey: () => {
          throw Object.assign(new Error('upstream'), { statusCode: 200 });
        },
        cookieKey: (() => true) as never,
      },
    });
    const thrown = await call(`${url}/h`, { headers: { 'x-key': 'hk' } });
    expect(thrown.status).toBe(500);
    const returned = await call(`${url}/c`, { headers: { cookie: 'sid=ck' } });
    expect(returned.status).toBe(500);
    // OR: the first alternative's 500 is its refusal; the second admits.
    const or = await call(`${url}/or`, { headers: { cookie: 'sid=ck' } });
    expect(or.status).toBe(500);
  });

  it('HEAD of a GET behind a security handler is behind it too', async () => {
    const url = await start();
    expect((await rawRequest(url, httpRequest('HEAD', '/h'))).status).toBe(401);
    expect(
      (await rawRequest(url, httpRequest('HEAD', '/h', { headers: ['X-Key: hk'] }))).status,
    ).toBe(200);
  });
});

describe('decorators (x-decorate-server)', () => {
  const spec = {
    swagger: '2.0',
    info: { title: 'deco', version: '1' },
    paths: {
      '/a': {
        get: {
          'x-bind-server': 'app.a',
          'x-decorate-server': ['pymacaron.auth.requires_auth', 'app.one', 'app.two'],
          responses: { '200': { description: 'ok', schema: { type: 'object' } } },
        },
      },
      '/b': {
        get: {
          'x-bind-server': 'app.b',
          'x-decorate-server': 'app.answer',
          responses: { '200': { description: 'ok', schema: { type: 'object' } } },
        },
      },
      '/c': {
        get: {
          'x-bind-server': 'app.c',
          'x-decorate-server': 'app.crash',
          responses: { '200': { description: 'ok', schema: { type: 'object' } } },
        },
      },
    },
  };
  it('run in order after the token check; an answer of its own ends the request; a non-MacaronError is 500', async () => {
    const order: string[] = [];
    let handled = 0;
    const url = await serveApp({
      api: await loadApi(spec),
      auth: { secret, issuer, audience },
      handlers: {
        'app.a': ({ auth }) => {
          order.push('handler');
          return { sub: auth?.sub };
        },
        'app.b': () => {
          handled += 1;
          return {};
        },
        'app.c': () => {
          handled += 1;
          return {};
        },
      },
      decorators: {
        'app.one': ({ auth }) => {
          order.push(`one:${String(auth?.sub)}`);
        },
        'app.two': () => {
          order.push('two');
        },
        'app.answer': ({ reply }) => {
          reply.code(202).send({ from: 'decorator' });
        },
        'app.crash': () => {
          throw Object.assign(new Error('boom'), { statusCode: 401 });
        },
      },
    });
    const unauth = await call(`${url}/a`);
    expect(unauth.status).toBe(401);
    expect(order).toEqual([]);
    const authed = await call(`${url}/a`, bearer(await hs()));
    expect([authed.status, authed.json]).toEqual([200, { sub: 'u1' }]);
    expect(order).toEqual(['one:u1', 'two', 'handler']);
    const answered = await call(`${url}/b`);
    expect([answered.status, answered.json]).toEqual([202, { from: 'decorator' }]);
    const crashed = await call(`${url}/c`);
    expect([crashed.status, crashed.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect(handled).toBe(0);
  });
});

describe('bigintsInResponses and validateResponses', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'big', version: '1' },
    paths: {
      '/big': {
        get: {
          operationId: 'big',
          responses: ok({
            type: 'object',
            properties: { n: { type: 'integer', format: 'int64' } },
          }),
        },
      },
      '/wrong': {
        get: {
          operationId: 'wrong',
          responses: ok({
            type: 'object',
            required: ['n'],
            properties: { n: { type: 'integer' } },
          }),
        },
      },
      '/status': { get: { operationId: 'status', responses: ok({ type: 'object' }) } },
    },
  };
  const handlers: OperationHandlers = {
    big: () => ({ n: 2n ** 53n + 1n }),
    wrong: () => ({ n: 'not an integer' }),
    status: ({ reply }) => {
      reply.code(418);
      return { teapot: true };
    },
  };
  it("'string' (default) and 'number' send a bigint as decimal text or exact JSON number", async () => {
    const api = await loadApi(spec);
    const text = await serveApp({ api, handlers });
    expect((await call(`${text}/big`)).text).toBe('{"n":"9007199254740993"}');
    const number = await serveApp({ api, handlers, bigintsInResponses: 'number' });
    expect((await call(`${number}/big`)).text).toBe('{"n":9007199254740993}');
  });

  it('validateResponses (default true) turns a response off the spec into a 500; false sends it', async () => {
    const api = await loadApi(spec);
    const checked = await serveApp({ api, handlers });
    expect((await call(`${checked}/wrong`)).status).toBe(500);
    expect((await call(`${checked}/status`)).status).toBe(500);
    const unchecked = await serveApp({ api, handlers, validateResponses: false });
    const wrong = await call(`${unchecked}/wrong`);
    expect([wrong.status, wrong.json]).toEqual([200, { n: 'not an integer' }]);
    const teapot = await call(`${unchecked}/status`);
    expect([teapot.status, teapot.json]).toEqual([418, { teapot: true }]);
  });
});

describe('CORS with @fastify/cors, as the README advises', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'cors', version: '1' },
    security: [{ bearerAuth: [] }],
    paths: { '/me': { get: { operationId: 'getMe', responses: ok({ type: 'object' }) } } },
    components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
  };
  async function start() {
    return serveApp(
      {
        api: await loadApi(spec),
        handlers: { getMe: ({ auth }) => ({ sub: auth?.sub }) },
        auth: { secret, issuer, audience },
      },
      async (app) => {
        await app.register(cors, { origin: '*' });
      },
    );
  }
  it('answers a preflight without the token, and puts the header on a 401', async () => {
    const url = await start();
    const preflight = await call(`${url}/me`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://site.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const refused = await call(`${url}/me`, { headers: { origin: 'https://site.example' } });
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([
      401,
      '*',
    ]);
  });

  it('an OPTIONS without Access-Control-Request-Method is its own 400 in plain text', async () => {
    const url = await start();
    const response = await call(`${url}/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://site.example' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('no CORS header on the 400 BAD_URL fastify answers before any hook', async () => {
    const url = await start();
    const response = await rawRequest(
      url,
      httpRequest('GET', '/me%zz', { headers: ['Origin: https://site.example'] }),
    );
    expect(response.status).toBe(400);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
